trap 'echo usr1 caught' USR1
kill -USR1 $$
kill -s USR1 $$
echo end
