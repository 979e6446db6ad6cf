echo ${x?is required}
echo not-reached
