f() { echo inside; echo err >&2; }
f > out.txt 2>&1
cat out.txt
