echo "a\nb"
echo "a\\b"
echo "a\$b"
echo "\z"
