set -- one "two three" four
for a; do echo "<$a>"; done
for a in "$@"; do echo "{$a}"; done
