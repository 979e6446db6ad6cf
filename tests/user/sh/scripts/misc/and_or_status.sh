false && true
echo "after false&&true: $?"
true || false
echo "after true||false: $?"
false || false
echo "after false||false: $?"
