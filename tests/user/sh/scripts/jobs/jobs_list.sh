(exit 0) &
wait
jobs
echo listed
