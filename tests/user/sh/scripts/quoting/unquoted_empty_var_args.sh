e=
set -- $e a $e b $e
echo $#
set -- "$e" a
echo $#
