for f in .hidden visible; do : >"$f"; done
echo *
echo .h*
echo .*
