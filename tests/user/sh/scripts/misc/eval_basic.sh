cmd='echo hello; echo world'
eval "$cmd"
x=y
eval "$x=42"
echo $y
eval 'for i in 1 2; do echo $i; done'
