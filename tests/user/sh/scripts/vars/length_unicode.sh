x=héllo
echo ${#x}
