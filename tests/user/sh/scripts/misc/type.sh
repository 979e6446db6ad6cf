type echo
type :
type if
f() { :; }
type f
type nosuch_zz; echo $?
