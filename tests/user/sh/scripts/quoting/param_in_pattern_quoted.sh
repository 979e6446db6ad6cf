v='a*'
x='a*bc'
echo "${x#$v}" "${x#"$v"}"
