a=
unset b
echo "${a+a-set}" "${b+b-set}" "${a:+a-nonempty}"
