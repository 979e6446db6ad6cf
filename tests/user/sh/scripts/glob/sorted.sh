for f in b a C c B A; do : >"$f"; done
echo *
