[ abc \< abd ] && echo less
[ b \> a ] && echo greater
[ -n ] && echo "-n alone is true"
[ -z ] && echo "-z alone is true"
