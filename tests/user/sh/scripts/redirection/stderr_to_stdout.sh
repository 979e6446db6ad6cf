cat /nonexistent_path > out.txt 2>&1
cat out.txt
echo to-stderr 1>&2
