i=0
while [ $((i < 3)) = 1 ]; do i=$((i+1)); done
echo $i
if [ $((5 % 2)) -eq 1 ]; then echo odd; fi
