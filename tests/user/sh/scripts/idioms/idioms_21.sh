(
echo $(( $# ))
)
echo "[$?]"
(
echo $(( $$ > 0 ))
)
echo "[$?]"
(
echo $(( 3 < 2 ))
)
echo "[$?]"
(
echo $(( !(1) ))
)
echo "[$?]"
(
echo $((1+ +1)) $((1- -1)) $((- - 1))
)
echo "[$?]"
(
echo $((i++ + i++))
)
echo "[$?]"
(
echo $((j=3, j++ * 2, j))
)
echo "[$?]"
