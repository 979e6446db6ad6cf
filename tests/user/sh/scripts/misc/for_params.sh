set -- a 'b c' d
for p; do echo "[$p]"; done
for p in "$@"; do echo "<$p>"; done
