cat /nonexistent_path 2> err.txt
echo "status $?"
cat err.txt
