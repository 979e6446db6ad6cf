(
f() {
 echo "in f: $*"
}
f 1 2
)
echo "[$?]"
(
x=1
while [ $x -lt 4 ]
do
 echo $x
 x=$((x+1))
done
)
echo "[$?]"
(
cat <<E
line $HOME
E
)
echo "[$?]"
(
cat <<'E'
line $HOME
E
)
echo "[$?]"
(
read a <<E
value
E
echo "[$a]"
)
echo "[$?]"
(
case $1 in
 *) echo any;;
esac
)
echo "[$?]"
(
if true
then
echo yes
else
echo no
fi
)
echo "[$?]"
(
for i in 1 2
do echo $i
done > /tmp/forout; cat /tmp/forout
)
echo "[$?]"
