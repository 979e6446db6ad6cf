x='a  b'
export y=$x
echo "[$y]"
readonly r=$x
echo "[$r]"
f() { local z=$x w=* v="$x"; echo "[$z][$w][$v]"; }
f
export q=$x p
echo "[$q]"
