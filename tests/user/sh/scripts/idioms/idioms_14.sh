(
{
echo grouped
} | cat
)
echo "[$?]"
(
echo "multi
line"
)
echo "[$?]"
(
x='a
b'; echo "$x"; set -- $x; echo $#
)
echo "[$?]"
(
echo $(echo a
echo b)
)
echo "[$?]"
(
`echo echo` hi
)
echo "[$?]"
(
$(echo echo) hi2
)
echo "[$?]"
(
e=echo; $e via-var
)
echo "[$?]"
(
c="echo a b"; $c
)
echo "[$?]"
