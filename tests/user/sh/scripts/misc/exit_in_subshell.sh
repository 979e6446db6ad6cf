(echo in; exit 9; echo not)
echo "sub=$?"
