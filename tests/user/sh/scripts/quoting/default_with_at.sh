set -- "1 2" 3
for w in ${unset_v:-"$@"}; do echo "[$w]"; done
