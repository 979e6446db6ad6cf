type echo
type cd
type :
f() { :; }
type f
type nosuch
echo "st=$?"
type if
