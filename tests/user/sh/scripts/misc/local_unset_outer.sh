x=1
f() { local x; echo "local x=[$x]"; x=2; }
f
echo "x=$x"
