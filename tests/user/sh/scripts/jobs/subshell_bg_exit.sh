(echo sub; exit 4) &
wait $!
echo "got $?"
