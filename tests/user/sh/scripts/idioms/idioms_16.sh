(
echo "a\tb"
)
echo "[$?]"
(
echo -e "a\tb"
)
echo "[$?]"
(
printf '%s\n' "a\tb"
)
echo "[$?]"
(
printf "%b\n" "a\tb"
)
echo "[$?]"
(
echo ${x-'$y'}
)
echo "[$?]"
(
y=1; echo ${x-"$y"}
)
echo "[$?]"
(
echo ${x-"a"'b'c}
)
echo "[$?]"
(
echo "${x-'q'}"
)
echo "[$?]"
