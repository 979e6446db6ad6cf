x=outer
(x=inner; echo "in: $x")
echo "out: $x"
(exit 7)
echo "sub status $?"
(cd /; pwd)
