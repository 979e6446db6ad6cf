cat <<EOF
no terminator