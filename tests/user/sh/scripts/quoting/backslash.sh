echo \$x \\ \" \' \a
echo a\ b
echo \
