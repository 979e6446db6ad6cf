echo abc > /proc/sys/vm/drop_caches
echo "status $?"
printf 'x\n' > /proc/sys/vm/drop_caches
echo "status $?"
