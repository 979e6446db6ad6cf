cat <<EOF | cat
piped heredoc
EOF
