(
v=abc; echo ${v:0:2} ${v:1}
)
echo "[$?]"
(
v='a b  c'; echo $v; echo "$v"
)
echo "[$?]"
(
v='  x  '; echo "[${v}]" [${v}]
)
echo "[$?]"
(
IFS=x; v=axbxc; echo $v; echo "$v"
)
echo "[$?]"
(
IFS=; v='a b'; set -- $v; echo $#
)
echo "[$?]"
(
echo a{b,c}d
)
echo "[$?]"
(
echo \{a,b\}
)
echo "[$?]"
(
alias x='echo aliased'; x
)
echo "[$?]"
