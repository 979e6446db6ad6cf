trap 'echo "in trap: $?"' EXIT
(exit 3)
exit 5
