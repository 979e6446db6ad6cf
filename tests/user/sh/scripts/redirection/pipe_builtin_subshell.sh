x=1
echo 2 | read x
echo "x=$x"
echo data | while read v; do echo "loop saw $v"; done
