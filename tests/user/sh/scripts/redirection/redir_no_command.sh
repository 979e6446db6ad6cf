> created.txt
ls
x=1 > also.txt
ls
# needs: ls
