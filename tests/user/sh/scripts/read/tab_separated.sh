printf 'a\tb c\n' | { read x y; echo "x=$x y=$y"; }
