touch a.c b.c c.h
echo *.c
echo *
# needs: touch
