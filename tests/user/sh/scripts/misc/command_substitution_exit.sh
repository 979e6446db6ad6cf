echo $(exit 5)x
echo "st $?"
