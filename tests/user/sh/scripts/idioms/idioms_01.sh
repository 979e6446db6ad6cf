(
echo a | { read; echo "[$REPLY]"; }
)
echo "[$?]"
(
for i in 1 2 3; do echo $i; done | { while read l; do echo "L$l"; done; }
)
echo "[$?]"
(
x=$(echo a; echo b); echo "$x"
)
echo "[$?]"
(
x=`echo "a  b"`; echo $x
)
echo "[$?]"
(
echo $(echo '$HOME')
)
echo "[$?]"
(
echo "$(echo "\$HOME")"
)
echo "[$?]"
(
echo "`echo \"\\\$HOME\"`"
)
echo "[$?]"
(
echo `echo '\\'`
)
echo "[$?]"
