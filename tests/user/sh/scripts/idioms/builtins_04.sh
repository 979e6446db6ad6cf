(
OPTIND=1; getopts a opt -- -a; echo "$opt $OPTIND"
)
echo "[$?]"
(
type -t echo 2>&1
)
echo "[$?]"
(
hash -r; echo $?
)
echo "[$?]"
(
let 'a=1+1' 'b=a*3'; echo $a $b $?
)
echo "[$?]"
(
let 0 1; echo $?
)
echo "[$?]"
(
alias a=b c=d; alias a; unalias -a; alias
)
echo "[$?]"
(
echo $((2#)) 2>&1
)
echo "[$?]"
(
echo ${#PPID} > /dev/null && echo ok
)
echo "[$?]"
