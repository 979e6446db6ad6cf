set -- outer1 outer2
f() { echo "in: $# $1"; set -- x; echo "in2: $1"; }
f a b c
echo "out: $# $1"
