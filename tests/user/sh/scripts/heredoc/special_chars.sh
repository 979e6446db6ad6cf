cat <<EOF
'single' "double" \`tick\` * ? [x]
EOF
