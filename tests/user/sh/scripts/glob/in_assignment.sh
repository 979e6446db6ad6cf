for f in v1 v2; do : >"$f"; done
x=v*
echo "$x"
echo $x
