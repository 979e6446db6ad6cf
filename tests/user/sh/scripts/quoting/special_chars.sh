echo 'semi;colon' "pipe|bar" amp\&
echo "tab	here"
