a=1; b=2
echo $a$b ${a}x "$a"$b
echo pre${a}post
