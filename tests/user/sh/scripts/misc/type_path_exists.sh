# a name with a slash is found when it exists at all (find_command with DO_ABS stats it)
echo "echo hi" > y.sh
type ./y.sh /tmp /nonexist /dev/null
command -v ./y.sh /tmp /nonexist; echo $?
command -V ./y.sh /tmp; echo $?
