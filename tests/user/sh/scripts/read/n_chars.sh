echo abcdef | { read -n 3 v; echo "[$v]"; }
