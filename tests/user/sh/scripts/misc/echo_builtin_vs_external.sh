type echo
echo builtin
/bin/echo external
