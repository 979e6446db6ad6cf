x=val
cat <<$x
body $x
$x
cat <<a$$b
two $x
a$$b
echo after
