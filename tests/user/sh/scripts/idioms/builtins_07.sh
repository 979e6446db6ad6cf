(
set -- -abc -d x; while getopts abcd: o; do echo "$o $OPTIND ${OPTARG-}"; done; echo $OPTIND
)
echo "[$?]"
(
echo $((2#))
)
echo "[$?]"
(
kill -l 0; kill -l RTMIN; echo $?
)
echo "[$?]"
(
kill -n 9; echo $?
)
echo "[$?]"
(
command -v /nonexistent; echo $?
)
echo "[$?]"
(
command -v /bin/sh; echo $?
)
echo "[$?]"
(
type /nonexistent; echo $?
)
echo "[$?]"
(
type /bin/cat
)
echo "[$?]"
