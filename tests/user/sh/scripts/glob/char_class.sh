for f in a1 b2 C3 _4; do : >"$f"; done
echo [[:upper:]]*
echo [[:digit:]]* [[:alpha:]][[:digit:]]
