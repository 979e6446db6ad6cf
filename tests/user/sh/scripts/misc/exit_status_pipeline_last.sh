sh -c 'exit 3' | sh -c 'exit 4'
echo $?
