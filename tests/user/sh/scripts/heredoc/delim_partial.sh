cat <<EOF
EOF not the end
 EOF
EOFX
EOF
