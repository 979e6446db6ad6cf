echo start
( echo a ( b )
echo never
