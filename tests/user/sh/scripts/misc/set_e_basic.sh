set -e
echo one
false || echo handled
if false; then :; fi
echo two
false
echo never
