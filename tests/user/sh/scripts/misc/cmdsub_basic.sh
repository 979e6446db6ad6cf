x=$(echo hi)
echo "[$x]"
y=`echo there`
echo "[$y]"
echo "$(echo a; echo b)"
echo $(echo "  spaced   out  ")
