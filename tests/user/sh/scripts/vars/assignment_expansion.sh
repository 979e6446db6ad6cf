a=1
b="$a $a"
c=$b
echo "$c"
d=*
echo "$d"
