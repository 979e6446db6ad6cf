f() { echo "$# $?"; }
false
f a b
