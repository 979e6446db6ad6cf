kill -l 9
kill -l 15 2
kill -l TERM
