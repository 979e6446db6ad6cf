(
echo "${x:-"in dq"}"
)
echo "[$?]"
(
x=abc; echo "${x#"a"}" "${x%'c'}"
)
echo "[$?]"
(
x='a*c'; echo ${x#'a*'} ${x#a*}
)
echo "[$?]"
(
x=/usr/lib; echo "${x%/*}/bin"
)
echo "[$?]"
(
x=file.tar.gz; ext=${x#*.}; echo $ext
)
echo "[$?]"
(
n=3; echo $((n>2?n*2:n))
)
echo "[$?]"
(
echo $(( 1 + 2 * 3 - 4 / 2 % 3 ))
)
echo "[$?]"
(
echo $(( (1 << 3) | 1 ))
)
echo "[$?]"
