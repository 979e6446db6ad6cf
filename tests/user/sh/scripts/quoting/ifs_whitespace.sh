x="  lead   trail  "
for i in $x; do echo "[$i]"; done
IFS=' '
y=" a  b "
set -- $y
echo $#
