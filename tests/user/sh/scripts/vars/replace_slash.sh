# ${v/pattern/repl}: the pattern's first character belongs to it even when
# it is a "/"; an empty pattern replaces nothing.
v=a/b/c
echo "${v///}" "${v////x}" "${v////}" "${v//}" "${v/}"
echo "${v//\//x}" "${v/\//x}" "${v/#/x}" "${v/%/x}" "${v/#//}"
echo "${v//b}" "${v/b/}" "${v/#a/}" "${v/%c}" "${v/*/X}" "${v//?/.}"
