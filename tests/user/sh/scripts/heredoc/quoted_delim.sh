name=world
cat <<'EOF'
hello $name
no $(expansion) here
EOF
cat <<"END"
also $name literal
END
