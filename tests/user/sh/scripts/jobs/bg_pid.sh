true &
p=$!
case $p in ''|*[!0-9]*) echo bad;; *) echo "pid ok";; esac
wait $p
echo "status $?"
