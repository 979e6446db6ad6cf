x=1
echo $((x+=4)) $x
echo $((x*=2)) $x
echo $((y=3)) $y
echo $((x-=1, x))
