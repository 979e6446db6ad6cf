trap 'exit 7' EXIT
exit 1
