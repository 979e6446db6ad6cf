echo -n no-newline
echo
echo -e 'tab\there'
echo -E 'raw\t'
echo -- -n
echo -x
