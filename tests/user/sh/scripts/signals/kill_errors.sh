kill
echo "status $?"
kill -BOGUS 1
echo "status $?"
kill %9
echo "status $?"
