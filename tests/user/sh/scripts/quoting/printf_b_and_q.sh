printf '%b\n' 'a\tb' 'c\\d'
printf '[%s]\n'
printf '%c%c\n' abc def
