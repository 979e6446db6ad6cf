read x
echo "status $? [$x]"
