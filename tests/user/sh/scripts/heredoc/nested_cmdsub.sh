cat <<EOF
$(cat <<INNER
inner text
INNER
)
EOF
