readonly ro=1
ro=2 || echo failed
echo not-reached
