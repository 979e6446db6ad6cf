IFS=:
x=set
printf '[%s]' ${x+a:b}; echo
printf '[%s]' ${x+"a:b"}; echo
printf '[%s]' ${unset-c:d}; echo
printf '[%s]' ${x:+e:f} "${x:+g:h}"; echo
IFS='$a'
printf '[%s]' ${IFS+ab}; echo
printf '[%s]' ${IFS+"a"b}; echo
