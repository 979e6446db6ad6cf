x=a:b
echo $((3 % x))
echo after
