(
set -- 1 2 3; shift 3; echo "[$*]"
)
echo "[$?]"
(
eval 'x=1; y=2'; echo $x$y
)
echo "[$?]"
(
eval "echo \$0"
)
echo "[$?]"
(
trap 'echo T' EXIT; exit 3
)
echo "[$?]"
(
trap 'echo T; exit 9' EXIT; false
)
echo "[$?]"
(
trap ':' INT; trap
)
echo "[$?]"
(
(trap 'echo sub' EXIT); echo main
)
echo "[$?]"
(
x=$(trap 'echo in-sub' EXIT; echo body); echo "[$x]"
)
echo "[$?]"
