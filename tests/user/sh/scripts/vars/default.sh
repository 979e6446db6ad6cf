unset x
echo ${x-default} ${x:-default2}
x=
echo "[${x-default}]" "[${x:-default2}]"
x=set
echo ${x-default} ${x:-default2}
