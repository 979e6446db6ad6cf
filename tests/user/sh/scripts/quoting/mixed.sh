x=val
echo 'single'"double $x"unquoted\ space
echo "a"'b'c
