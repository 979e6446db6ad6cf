echo one > f
echo two >> f
echo three >>f
cat f
