echo input | { read -p "prompt> " v; echo "[$v]"; }
