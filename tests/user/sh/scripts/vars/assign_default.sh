unset x
echo ${x=assigned}
echo $x
y=
echo "[${y=no}]" "[${y:=yes}]"
echo $y
