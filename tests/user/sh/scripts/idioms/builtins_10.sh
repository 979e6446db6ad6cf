(
s=abcab; echo ${s//[ab]} ${s//a*} ${s/b} ${s//b/} "${s//[ab]/}"
)
echo "[$?]"
(
printf '%.3s%.2s|\n' 99999999999 0x10
)
echo "[$?]"
(
printf '%u%u%*d%x|\n' 3.5 - 99999999999 3.5
)
echo "[$?]"
(
printf '%d|\n' ' 5'
)
echo "[$?]"
(
printf '%*d|\n' 077 1
)
echo "[$?]"
(
printf '%d|%d|%d|\n' ' 5' '5 ' '	7'
)
echo "[$?]"
(
printf '%s' x | { read -t 0 a; echo $?; }
)
echo "[$?]"
