touch f1 f2 f3
for f in f*; do echo "file $f"; done
# needs: touch
