sh -c 'kill -9 $$' &
wait $!; echo "w=$?"
sh -c 'kill -TERM $$' &
wait; echo "w=$?"
sh -c 'kill -9 $$'; echo "fg=$?"
kill %- 2>&1 | sed 's/[0-9][0-9]*/N/'
kill %+ 2>&1 | sed 's/[0-9][0-9]*/N/'
