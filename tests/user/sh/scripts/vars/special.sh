echo "$?"
false
echo "$?"
set -- x y
echo "$# $*"
echo "${-}" | cat > /dev/null
echo done
