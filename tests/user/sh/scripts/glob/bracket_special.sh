touch '[' a b
echo [ab]
echo [
echo [!a]
# needs: touch
