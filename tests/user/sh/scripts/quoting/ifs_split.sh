x="a:b::c"
IFS=:
for i in $x; do echo "[$i]"; done
