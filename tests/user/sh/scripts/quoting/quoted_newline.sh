echo "line1
line2"
echo 'a
b'
