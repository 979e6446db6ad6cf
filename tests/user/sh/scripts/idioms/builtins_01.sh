(
set -- a b c; shift 2; echo "$@"; shift; echo $#; shift; echo $?
)
echo "[$?]"
(
set -- -a; echo $1
)
echo "[$?]"
(
set -x; : a "b c"; set +x
)
echo "[$?]"
(
set -o noglob; echo $-; set +o noglob; echo $-
)
echo "[$?]"
(
set -e -u; echo $-
)
echo "[$?]"
(
x=1; unset x y z; echo "${x-u}"
)
echo "[$?]"
(
unset -f nosuch; echo $?
)
echo "[$?]"
(
readonly a=1 b; readonly -p
)
echo "[$?]"
