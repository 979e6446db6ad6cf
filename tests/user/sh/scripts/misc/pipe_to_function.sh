upper() { while read l; do echo "got:$l"; done; }
echo hello | upper
