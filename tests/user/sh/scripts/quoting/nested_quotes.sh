x="outer $(echo "inner $(echo "deep")")"
echo "$x"
