set -- a b
echo "x$@y"
for w in "x$@y"; do echo "[$w]"; done
