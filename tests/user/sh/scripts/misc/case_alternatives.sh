for f in x.c y.h z.txt Makefile; do
  case "$f" in
    *.c|*.h) echo "$f: C source";;
    Makefile|makefile) echo "$f: make";;
    *) echo "$f: ?";;
  esac
done
