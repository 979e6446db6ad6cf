x=0
echo 5 | read x
echo "x=$x"
echo abc | while read line; do echo "got $line"; done
