exec 3> fd3.txt
echo to three >&3
exec 3>&-
cat fd3.txt
