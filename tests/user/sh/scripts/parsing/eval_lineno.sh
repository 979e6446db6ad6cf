echo start
eval 'echo one
echo two

echo "line $LINENO"
if'
