cat nonexistent_file
echo "status $?"
