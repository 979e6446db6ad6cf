set -- 10 foo
IFS=foo
printf '[%s]' $@; echo
printf '[%s]' $*; echo
x=foo
printf '[%s]' $x; echo
IFS=:
set -- a :b c:
printf '[%s]' $@; echo
