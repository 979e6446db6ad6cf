(
echo abc | { read -n 2 a; echo "[$a]"; }
)
echo "[$?]"
(
printf 'a b\n' | { read; echo "[$REPLY]"; }
)
echo "[$?]"
(
printf '  a b  \n' | { read; echo "[$REPLY]"; }
)
echo "[$?]"
(
printf '  a b  \n' | { read -r x; echo "[$x]"; }
)
echo "[$?]"
(
printf 'x\\\ny\n' | { read a; echo "[$a]"; }
)
echo "[$?]"
(
getopts; echo $?
)
echo "[$?]"
(
getopts a: opt -a; echo "$opt $? [$OPTARG]"
)
echo "[$?]"
(
OPTIND=1; getopts ab opt -ab; echo $opt $OPTIND; getopts ab opt -ab; echo $opt $OPTIND
)
echo "[$?]"
