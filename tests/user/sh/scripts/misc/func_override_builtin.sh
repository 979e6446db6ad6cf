echo() { builtin_echo_is_gone; }
unset -f echo
echo still works
true() { return 5; }
true
echo "true=$?"
