readonly r=5
echo $r
r=6
echo not-reached
