cmd='echo evaluated'
eval $cmd
eval "x=1; y=2"
echo $x $y
var=name
eval "$var=value"
echo $name
eval 'for i in 1 2; do echo loop$i; done'
