cat /nope 2>&1 | cat
