echo start
{ echo in; return 5; echo not; } >/dev/null
echo never
