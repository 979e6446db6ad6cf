n=0
while true; do
  n=$((n+1))
  if [ $n -ge 4 ]; then break; fi
done
echo n=$n
