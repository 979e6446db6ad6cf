x=one.two.three
echo ${x/./-}
echo ${x//./-}
echo ${x/#one/ONE}
echo ${x/%three/3}
echo ${x/zzz/y}
