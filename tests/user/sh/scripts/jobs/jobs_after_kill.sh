sh -c 'while :; do :; done' &
kill -9 %1
wait
jobs
echo end
