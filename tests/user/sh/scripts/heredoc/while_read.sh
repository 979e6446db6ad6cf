while read n; do
  echo "num $n"
done <<EOF
1
2
3
EOF
