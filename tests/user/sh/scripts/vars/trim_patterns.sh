x=aaa-bbb-ccc
echo ${x#a} ${x##a*} ${x%c} ${x%%-*}
echo ${x#[ab]} ${x%?}
q='*'
y='a*b'
echo ${y#"a*"} ${y%$q}
