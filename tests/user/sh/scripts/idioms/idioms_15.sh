(
c='echo "q"'; $c
)
echo "[$?]"
(
eval "$(echo 'x=9')"; echo $x
)
echo "[$?]"
(
set -- "a b" c; eval "set -- $*"; echo $#
)
echo "[$?]"
(
echo \\ \' \"
)
echo "[$?]"
(
echo '\\'
)
echo "[$?]"
(
echo "\\"
)
echo "[$?]"
(
echo "\'"
)
echo "[$?]"
(
echo 'a\nb'
)
echo "[$?]"
