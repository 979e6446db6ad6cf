>out.txt echo written
cat out.txt
<out.txt cat
2>/dev/null cat /nonexistent_x
echo $?
