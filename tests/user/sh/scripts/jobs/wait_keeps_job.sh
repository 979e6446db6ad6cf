sh -c 'exit 5' &
wait $!; echo "w1=$?"
wait $!; echo "w2=$?"
wait %1; echo "w3=$?"
jobs
echo "--"
jobs
(exit 3) &
wait
jobs
echo end
