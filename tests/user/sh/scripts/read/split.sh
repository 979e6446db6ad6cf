echo "one two three four" | { read a b; echo "a=$a b=$b"; }
echo "x y" | { read a b c; echo "a=$a b=$b c=[$c]"; }
