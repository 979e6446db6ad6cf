# set -e: the failed redirection is a failed command.
set -e
echo before
cat <<E
$((1+))
E
echo "not reached"
