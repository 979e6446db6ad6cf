sh -c 'while :; do :; done' &
kill %1
wait
echo "waited $?"
