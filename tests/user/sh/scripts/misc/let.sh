let x=3+4
echo $x
let 'y = x * 2' z=1
echo $y $z
let 0; echo $?
