export E1=exported
N1=notexported
sh -c 'echo "E1=$E1 N1=$N1"'
export N1
sh -c 'echo "N1=$N1"'
E2=temp sh -c 'echo "E2=$E2"'
echo "E2 after: [$E2]"
