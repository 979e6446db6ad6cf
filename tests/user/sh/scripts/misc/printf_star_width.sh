printf '[%*d]\n' 0x10 1
printf '[%*d]\n' 5 1
printf '[%.*s]\n' 2 abcdef
printf '[%*s]\n' -4 ab
