f() { echo in-f; echo err-f >&2; }
f > fo.txt 2>&1
cat fo.txt
