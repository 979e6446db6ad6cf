(
x=1 true; echo "[$x]"
)
echo "[$?]"
(
x=1 eval 'echo $x'; echo "[$x]"
)
echo "[$?]"
(
x=1 export y=2; echo "[$x][$y]"
)
echo "[$?]"
(
exec 3>&1; echo viafd3 >&3
)
echo "[$?]"
(
{ echo a; echo b >&2; } 2>&1 | cat
)
echo "[$?]"
(
while :; do echo once; break; done
)
echo "[$?]"
(
until true; do echo never; done; echo $?
)
echo "[$?]"
(
for i in a b; do for j in 1 2; do echo $i$j; break 2; done; done
)
echo "[$?]"
