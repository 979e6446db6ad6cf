sh -c 'kill -9 $$' &
sleep 1 | cat &
(exit 3) &
sleep 1 &
sleep 0.5
jobs
echo "--"
jobs
kill %2 %4
wait
