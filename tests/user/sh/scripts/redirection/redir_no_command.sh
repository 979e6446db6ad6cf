> created.txt
echo *
x=1 > also.txt
echo *
