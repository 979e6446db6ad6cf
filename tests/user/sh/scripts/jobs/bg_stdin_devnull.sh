cat &
wait
echo "cat done"
