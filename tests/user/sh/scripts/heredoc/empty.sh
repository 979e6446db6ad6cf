cat <<EOF
EOF
echo "empty ok"
