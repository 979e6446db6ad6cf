(
echo $((x=5)) $x
)
echo "[$?]"
(
unset n; echo $((n+=1)) $n
)
echo "[$?]"
(
echo ${#PATH} >/dev/null; echo ok
)
echo "[$?]"
(
set -- a b c d; echo ${@:2} ${*:1:2}
)
echo "[$?]"
(
set -- a b; echo "${@}" "${#}"
)
echo "[$?]"
(
v=12345; echo ${v:1:2} ${v:(-2)} ${v: -2:1}
)
echo "[$?]"
(
echo ${v/l/L} ${v//l/L} ${v/#H/J} ${v/%o/0}
)
echo "[$?]"
(
echo $((0x7fffffffffffffff + 1))
)
echo "[$?]"
