for f in q1 q2; do : >"$f"; done
echo "q*" 'q*' q\*
