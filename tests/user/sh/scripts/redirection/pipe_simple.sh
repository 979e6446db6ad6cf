echo hello | cat
echo a b c | { read x y z; echo "$z $y $x"; }
