set -e
true
echo still
false || echo handled
if false; then :; fi
echo still2
false
echo not-reached
