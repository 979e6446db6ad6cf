printf '\n\nx\n' | while read v; do echo "[$v]"; done
