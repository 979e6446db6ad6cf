return 2
echo not reached
