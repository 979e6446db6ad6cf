echo -e 'x\cy' z
echo after
