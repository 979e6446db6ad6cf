mkdir empty && cd empty
echo *
for f in *; do echo "[$f]"; done
# needs: mkdir
