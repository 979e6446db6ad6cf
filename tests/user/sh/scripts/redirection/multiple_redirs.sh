echo x > a > b
cat a
echo "b: $(cat b)"
