: ${X:=assigned-by-colon}
echo $X
