(
f() { local a=1; local a=2; echo $a; }; f
)
echo "[$?]"
(
f() { local x; x=5; }; x=1; f; echo $x
)
echo "[$?]"
(
h() { (exit 7); }; h; echo $?
)
echo "[$?]"
(
printf '%s\n' a b | while read l; do echo "<$l>"; done
)
echo "[$?]"
(
echo `echo a` "`echo b c`"
)
echo "[$?]"
(
x='a  b'; echo "${x}" ${x}
)
echo "[$?]"
(
printf '%d\n'
)
echo "[$?]"
(
printf '%s-%d\n' a
)
echo "[$?]"
