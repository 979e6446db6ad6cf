a=1 b=2
echo $a $b
c= ; echo "[$c]"
d=x=y; echo $d
echo e=1
