# An error while a here-document expands fails its command's redirections
# (status 1, the command not run) instead of ending the script; side effects
# of the expansion stay in the shell.
n=1
cat <<E
$((n+=1)) ${y:=set}
E
echo "$n [$y]"
cat <<E
$((1+))
E
echo "st=$?"
cat <<E; echo "same line st=$?"
$((2/0))
E
{
  echo never
} <<E
${u?unset here}
E
echo "group st=$?"
while read l
do echo "$l"
done <<E
$((1+))
E
echo "while st=$?"
f() { cat; }
f <<E
$((1+))
E
echo "function st=$?"
x=$(cat <<E
$((1+))
E
); echo "x=[$x] st=$?"
: <<E
$((1+))
E
echo "not reached: a special builtin's redirection error ends the script"
