for f in g1 g2; do : >"$f"; done
set -f
echo g*
set +f
echo g*
