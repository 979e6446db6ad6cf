set a b c
echo $# $1 $3
set --
echo "count $#"
set -- -x -y
echo "$1 $2"
