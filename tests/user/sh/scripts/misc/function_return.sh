f() { return 7; }
f; echo "status $?"
g() { false; }
g; echo "status $?"
h() { echo x; return; }
h; echo "status $?"
