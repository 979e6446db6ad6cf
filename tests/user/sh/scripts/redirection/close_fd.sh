echo test 2>&-
echo "status $?"
