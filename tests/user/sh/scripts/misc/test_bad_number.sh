x=
[ "$x" -eq 0 ]
echo "st=$?"
test abc -lt 1
echo "st=$?"
[ 1 -gt '' ]
echo "st=$?"
