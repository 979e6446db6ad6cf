touch a.txt b.txt
echo "*.txt"
echo '*'.txt
echo *.txt
x='*.txt'
echo $x "$x"
# needs: touch
