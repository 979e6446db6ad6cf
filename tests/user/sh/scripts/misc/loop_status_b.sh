for i in 1 2; do false; done; echo "for: $?"
while false; do :; done; echo "while: $?"
i=0; while [ $i -lt 2 ]; do i=$((i+1)); done; echo "while-true: $?"
