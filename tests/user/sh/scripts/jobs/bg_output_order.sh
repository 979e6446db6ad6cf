echo first
{ echo second; } &
wait
echo third
