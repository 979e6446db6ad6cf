a=2+3
echo $((a*2))
b=a
echo $((b))
