(
f() { return 300; }; f; echo $?
)
echo "[$?]"
(
exit 300
)
echo "[$?]"
(
(exit -1); echo $?
)
echo "[$?]"
(
eval 'exit 2'; echo no
)
echo "[$?]"
(
umask 0; umask; umask 0777; umask; umask -S
)
echo "[$?]"
(
umask a=rx; umask
)
echo "[$?]"
(
read -t 0 x; echo $?
)
echo "[$?]"
(
read -n 2 a b <<< abc 2>/dev/null; echo "[$a][$b]"
)
echo "[$?]"
