(
command -v cd
)
echo "[$?]"
(
command -V nosuch; echo $?
)
echo "[$?]"
(
trap "echo x" INT; echo "[$(trap)]"; (trap); trap "" QUIT; (trap)
)
echo "[$?]"
(
trap "echo e" EXIT; (echo sub); x=$(echo y); echo $x
)
echo "[$?]"
(
trap "echo a" USR1; x=$(trap "echo b" USR2; trap); echo "$x"
)
echo "[$?]"
(
x="a  b"; f() { local v=$x; echo "[$v]"; }; f
)
echo "[$?]"
(
y="1   2"; export Y=$y; sh -c "echo \"[\$Y]\""
)
echo "[$?]"
(
z="*"; readonly R=$z; echo "$R"
)
echo "[$?]"
