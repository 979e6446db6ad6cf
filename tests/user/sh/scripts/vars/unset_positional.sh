set -- a b
unset 1 2>/dev/null
echo "status $?"
