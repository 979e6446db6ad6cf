n=7
cat <<EOF
$n squared is $((n*n))
EOF
