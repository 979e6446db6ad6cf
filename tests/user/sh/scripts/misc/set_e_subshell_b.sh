set -e
(false; echo no) || echo "subshell failed"
echo end
