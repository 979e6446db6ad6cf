f=/a/b/c.txt
pat='*/'
echo ${f##$pat}
echo ${f##"$pat"}
