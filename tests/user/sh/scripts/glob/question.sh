for f in a1 a2 a10 b1; do : >"$f"; done
echo a?
echo ??
