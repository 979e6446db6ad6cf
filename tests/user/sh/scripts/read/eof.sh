printf 'no newline' | { read v; echo "status $? [$v]"; }
read v < /dev/null
echo "status $? [$v]"
