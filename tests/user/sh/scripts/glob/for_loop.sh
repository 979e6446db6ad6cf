for f in f1 f2 f3; do : >"$f"; done
for f in f*; do echo "file $f"; done
