echo {a,b}
echo {x}
{ echo grouped; }
