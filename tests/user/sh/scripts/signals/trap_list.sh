trap 'echo int' INT
trap 'echo "term it"' TERM
trap '' HUP
trap
