x=val
cat <<EOF
dollar \$x
backslash \\ end
line \
continued
quote \" stays
EOF
