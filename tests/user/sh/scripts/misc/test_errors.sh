[ 1 -eq x ]
echo "status $?"
[ a b c ]
echo "status $?"
[ a = a
echo "status $?"
