{ echo out; echo err >&2; } 2>&1 > o.txt
echo ---
cat o.txt
