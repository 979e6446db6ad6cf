printf 'echo one\nreturn 4\necho two\n' > r.sh
. ./r.sh
echo "status=$?"
