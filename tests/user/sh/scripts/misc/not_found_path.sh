./nosuch
echo "st=$?"
/no/such/dir/cmd
echo "st=$?"
