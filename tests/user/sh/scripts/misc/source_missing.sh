. ./nonexistent.sh
echo not reached
