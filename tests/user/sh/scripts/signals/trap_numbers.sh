trap 'echo sig15' 15
kill -15 $$
trap 'echo sig0' 0
