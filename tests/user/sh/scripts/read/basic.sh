echo "hello world" | { read a; echo "[$a]"; }
