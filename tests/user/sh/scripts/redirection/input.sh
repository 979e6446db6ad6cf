echo content > in.txt
cat < in.txt
cat <in.txt
read line < in.txt; echo "read: $line"
