exec echo replaced
echo not-reached
