(
f() { echo f; }; alias f=g; f
)
echo "[$?]"
(
echo 'single''adjacent'"double"
)
echo "[$?]"
(
echo "a\"b" 'a"b' a\"b
)
echo "[$?]"
(
echo "a'b" 'a'\''b'
)
echo "[$?]"
(
echo $'a\nb'
)
echo "[$?]"
(
echo "$'a'"
)
echo "[$?]"
(
: ${x=1} ${y:=2}; echo $x $y
)
echo "[$?]"
(
x=1 : ; echo $x
)
echo "[$?]"
