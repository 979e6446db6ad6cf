printf 'echo from script "$@"\nexit 6\n' > s.sh
chmod +x s.sh 2>/dev/null || true
sh ./s.sh a b
echo "st=$?"
# needs: chmod
