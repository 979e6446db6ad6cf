>out.txt echo written
cat out.txt
<out.txt cat
2>/dev/null ls /nonexistent_x
echo $?
# needs: ls
