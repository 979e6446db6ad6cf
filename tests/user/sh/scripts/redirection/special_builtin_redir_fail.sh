: > /nonexistent/x
echo not-reached
