command echo via-command
f() { echo function; }
f
command -v f
command -v echo
command -v if
command -v nosuchthing; echo $?
