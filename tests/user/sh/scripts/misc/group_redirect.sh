{ echo a; echo b; } > g.txt
cat g.txt
{ echo c; } >> g.txt
cat g.txt
