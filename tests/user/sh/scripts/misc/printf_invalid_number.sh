printf '%d|%+d|%x|%#x|%5d|\n' 3.5 1a 12abc '' 7x
echo "st=$?"
printf '%*d|\n' 3.5 9
printf '%*d%i|\n'
echo "st=$?"
