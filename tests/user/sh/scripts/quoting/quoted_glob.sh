for f in a.txt b.txt; do : >"$f"; done
echo "*.txt"
echo '*'.txt
echo *.txt
x='*.txt'
echo $x "$x"
