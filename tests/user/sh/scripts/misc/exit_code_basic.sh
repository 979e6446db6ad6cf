(exit 5)
echo $?
(exit 256)
echo $?
(exit 255)
echo $?
false
echo $?
