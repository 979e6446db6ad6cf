{ echo b; echo a; } | cat
if true; then echo if-out; fi | cat
for i in 1 2; do echo f$i; done | cat
while false; do :; done | cat
echo status $?
