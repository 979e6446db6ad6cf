true &
pid=$!
wait
[ -n "$pid" ] && echo "have pid"
