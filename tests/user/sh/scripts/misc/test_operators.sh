[ a = a ] && echo eq
[ a != b ] && echo ne
[ -n "x" ] && echo n
[ -z "" ] && echo z
[ 3 -gt 2 ] && echo gt
[ 2 -le 2 ] && echo le
[ ! 1 -eq 2 ] && echo not
[ a = a -a b = b ] && echo and
[ a = b -o b = b ] && echo or
[ \( a = a \) ] && echo paren
test -d / && echo dir
test -f / || echo notfile
[ -e /nonexistent ] || echo noexist
[ "" ] || echo empty-false
[ x ] && echo nonempty-true
