for f in a.c b.c c.h; do : >"$f"; done
echo *.c
echo *
