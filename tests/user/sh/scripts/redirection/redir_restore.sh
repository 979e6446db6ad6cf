exec 5>&1
echo to-file > r.txt
echo visible
{ echo inner; } > r2.txt
echo visible2
cat r.txt r2.txt
