x=abcdefgh
echo ${x:2}
echo ${x:2:3}
echo ${x: -3}
echo ${x:0:1}
