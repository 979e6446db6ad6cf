echo "a:b:c" | { IFS=: read x y z; echo "$x-$y-$z"; }
echo "  lead  trail  " | { read v; echo "[$v]"; }
echo "  lead  trail  " | { IFS= read v; echo "[$v]"; }
