for i in 1 2 3; do echo $i; done > loop.txt
cat loop.txt
if true; then echo in-if; fi > if.txt
cat if.txt
while read l; do echo "got $l"; done < loop.txt
