echo "$#"
set -- a b
echo "$# $1$2"
echo "${#}"
x() { echo "$0"; }
x
