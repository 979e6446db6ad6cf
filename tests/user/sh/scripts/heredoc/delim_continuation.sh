x=val
cat <<E\
ND
body $x
END
echo after
