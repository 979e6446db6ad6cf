while read k v; do
  echo "$k => $v"
done <<EOF
name mmbox
kind shell
EOF
