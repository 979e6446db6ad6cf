set -- -e -x
echo "$1 $2 $-"
