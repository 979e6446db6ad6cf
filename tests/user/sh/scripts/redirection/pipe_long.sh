echo start | cat | cat | cat | cat
