{ echo bg-output; } &
wait
echo after-wait
