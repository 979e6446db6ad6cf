echo start
echo `echo a
b
c
