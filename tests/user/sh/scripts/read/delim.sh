printf 'a,b,c' | { read -d , v; echo "[$v]"; }
