f() { echo "f in bg"; return 2; }
f &
wait $!
echo "status $?"
