x=$()
echo "[$x]"
y=``
echo "[$y]"
$(true)
echo "status $?"
$(false)
echo "status $?"
