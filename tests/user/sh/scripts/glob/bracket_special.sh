for f in '[' a b; do : >"$f"; done
echo [ab]
echo [
echo [!a]
