x=$(false)
echo $?
x=$(true) y=$(exit 3)
echo $?
