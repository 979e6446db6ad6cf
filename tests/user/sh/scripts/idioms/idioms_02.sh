(
echo $(( $(echo 3) + `echo 4` ))
)
echo "[$?]"
(
echo ${x:-$(echo default)}
)
echo "[$?]"
(
x=5; echo ${x:+set} ${y:+set}
)
echo "[$?]"
(
unset y; echo ${y:=new} $y
)
echo "[$?]"
(
echo "${undefined_v:-a b}" | cat
)
echo "[$?]"
(
v=hello; echo ${v%l*} ${v%%l*} ${v#*l} ${v##*l}
)
echo "[$?]"
(
v=/a/b/c; echo ${v##*/} ${v%/*}
)
echo "[$?]"
(
v=aaa; echo ${v/a/b} ${v//a/b}
)
echo "[$?]"
