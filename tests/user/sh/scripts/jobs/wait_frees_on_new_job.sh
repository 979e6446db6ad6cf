sh -c 'exit 7' &
sh -c 'exit 5' &
wait; echo "w=$?"
sleep 1 &
jobs
echo "--"
(exit 3) &
wait %2; echo "w2=$?"
kill %1
wait
jobs
