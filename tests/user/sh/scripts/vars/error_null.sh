x=
echo ${x:?}
echo not-reached
