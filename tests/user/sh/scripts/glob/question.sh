touch a1 a2 a10 b1
echo a?
echo ??
# needs: touch
