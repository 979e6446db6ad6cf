ls /nope 2>&1 | cat
# needs: ls
