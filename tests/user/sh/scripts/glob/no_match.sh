echo *.nomatch
echo nomatch?
