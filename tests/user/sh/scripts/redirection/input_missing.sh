cat < missing.txt
echo "status $?"
