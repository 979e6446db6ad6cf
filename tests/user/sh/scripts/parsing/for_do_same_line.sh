for i in 1 2; do echo $i; done
for i in a; do
echo $i; done
