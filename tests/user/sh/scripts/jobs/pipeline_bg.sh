echo piped | cat &
wait
echo end
