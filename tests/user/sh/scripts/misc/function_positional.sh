set -- outer1 outer2
f() { echo "inside: $@ ($#)"; set -- changed; echo "now $1"; }
f inner
echo "after: $@ ($#)"
