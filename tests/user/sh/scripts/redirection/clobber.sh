echo one > c.txt
set -C
echo two > c.txt
echo "status $?"
echo three >| c.txt
cat c.txt
