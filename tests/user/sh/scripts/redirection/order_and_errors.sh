# A command's redirections are done by the shell before anything else: a
# failure leaves its assignments undone, and its message goes where the
# redirections done so far send it. A subshell's are done by the child,
# where a failure is an error (status 2).
x=1 >/nonexist/f; echo "[$x]"
cat 2>/dev/null </nonexist
echo "st=$?"
cat </nonexist 2>/dev/null
echo "st=$?"
echo 2>/dev/null </nonexist
echo "st=$?"
{ echo; } 2>/dev/null </nonexist
echo "st=$?"
{ echo; } </nonexist 2>/dev/null
echo "st=$?"
( echo a ) </nonexist; echo "st=$?"
( echo b ) 2>/dev/null </nonexist; echo "st=$?"
f() { echo in f; }
f </nonexist; echo "st=$?"
nosuch 2>/dev/null; echo "st=$?"
nosuch >/nonexist/f; echo "st=$?"
y=$(echo sub >&2) true 2>/dev/null; echo "y=[$y]"
