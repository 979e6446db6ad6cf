export V
V=later
sh -c 'echo "V=$V"'
