while false; do :; done
echo "while=$?"
for i in 1 2; do false; done
echo "for=$?"
i=0
while [ $i -lt 2 ]; do i=$((i+1)); (exit 7); done
echo "last=$?"
