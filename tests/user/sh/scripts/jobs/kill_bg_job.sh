sh -c 'while :; do :; done' &
kill $!
wait $!
echo "status $?"
