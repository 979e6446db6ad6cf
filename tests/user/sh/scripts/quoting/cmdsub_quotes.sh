echo "$(echo "inner quotes")"
echo "$(echo 'single inside')"
echo `echo "backtick"`
