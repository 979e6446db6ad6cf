echo hello | cat
echo one two | { read a b; echo "$b $a"; }
echo x | false
echo "st=$?"
false | true
echo "st=$?"
