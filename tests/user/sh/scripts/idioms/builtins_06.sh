(
trap 'x' 99 2>&1; echo $?
)
echo "[$?]"
(
umask a=rx; umask
)
echo "[$?]"
(
umask u=rwx,g=rx,o=; umask
)
echo "[$?]"
(
umask 022; umask g-r; umask; umask o+w; umask
)
echo "[$?]"
(
umask zz; echo $?
)
echo "[$?]"
(
read -t 0 x; echo $?
)
echo "[$?]"
(
printf '  a b  \\n' | { read; echo "[$REPLY]"; }
)
echo "[$?]"
(
OPTIND=1; getopts ab opt -ab; echo $opt $OPTIND; getopts ab opt -ab; echo $opt $OPTIND; getopts ab opt -ab; echo $? $OPTIND
)
echo "[$?]"
