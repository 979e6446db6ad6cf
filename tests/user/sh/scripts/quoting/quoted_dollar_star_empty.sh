set --
for w in "$*"; do echo "[$w]"; done
for w in "$@"; do echo "never"; done
echo done
