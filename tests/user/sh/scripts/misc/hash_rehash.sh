# After a cd every hashed command is marked for a new lookup ("*" in hash)
# until it runs again.
echo a | grep a >/dev/null
ls / >/dev/null
hash | sed 's#.*/##'
cd /
hash | sed 's#.*/##'
ls / >/dev/null
hash | sed 's#.*/##'
