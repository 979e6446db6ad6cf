x=1
cat <<E\OF
$x literal
EOF
