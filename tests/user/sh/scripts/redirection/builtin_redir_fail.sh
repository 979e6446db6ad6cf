echo hi > /nonexistent/x
echo "status $?"
