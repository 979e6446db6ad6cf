a=5; b=a
echo $((b + 1))
