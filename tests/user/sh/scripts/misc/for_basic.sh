for i in 1 2 3; do echo "i=$i"; done
for i in; do echo never; done
echo "after: $i"
