f() { return 3; }
f
echo "f=$?"
g() { false; return; }
g
echo "g=$?"
h() { true; }
h
echo "h=$?"
