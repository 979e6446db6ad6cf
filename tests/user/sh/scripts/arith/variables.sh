a=6 b=7
echo $((a*b)) $(($a*$b)) $((a+b*2))
unset c
echo $((c+1))
