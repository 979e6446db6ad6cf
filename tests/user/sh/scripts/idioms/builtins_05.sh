(
echo "$@" "$*" $#
)
echo "[$?]"
(
true; false; echo $?
)
echo "[$?]"
(
! ( exit 5 ); echo $?
)
echo "[$?]"
(
kill -l 0 2>&1
)
echo "[$?]"
(
kill -l 64 2>&1
)
echo "[$?]"
(
kill -l RTMIN 2>&1
)
echo "[$?]"
(
kill -n 9 2>&1; echo $?
)
echo "[$?]"
(
trap 'echo t' 0; trap
)
echo "[$?]"
