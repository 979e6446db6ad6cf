set --
[ -n -gt "$@" ] && echo yes
[ -z -gt ] || echo no
[ ! -gt ] || echo not
test -f = && echo eq
echo "st=$?"
