sh -c 'while :; do :; done' &
kill -9 $!
wait $!
echo "status $?"
