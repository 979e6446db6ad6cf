a_b=1; _c=2; D3=3
echo $a_b $_c $D3
echo $a-b
