{ echo one; echo two; } > g.txt
cat g.txt
{ false; }
echo $?
x=1; { x=2; }; echo $x
