printf '%s-%s\n' a b c d
printf '%d %05.1f %x %o %c|\n' 42 3.14159 255 8 hello
printf '%5s|%-5s|\n' ab cd
printf 'no newline'
echo
