(
echo $(( 5 > 3 && 2 > 1 || 0 ))
)
echo "[$?]"
(
echo $(( -2 ** 2 ))
)
echo "[$?]"
(
echo $(( 2 ** -1 ))
)
echo "[$?]"
(
echo $((  010 ))
)
echo "[$?]"
(
a=3; echo $(( a == 3 ))
)
echo "[$?]"
(
a=b; b=c; c=4; echo $((a + 1))
)
echo "[$?]"
(
echo $(( 100 / 7 * 7 + 100 % 7 ))
)
echo "[$?]"
(
i=0; : $((i++)) $((i++)); echo $i
)
echo "[$?]"
