x=3 y=5
echo $(( 1 ? x++ : y++ )) x=$x y=$y
echo $(( 0 ? x++ : y++ )) x=$x y=$y
echo $(( 1 ? 2 : (y=9) )) y=$y
