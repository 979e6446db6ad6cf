(
sh -c 'echo $0' foo
)
echo "[$?]"
(
sh -c 'kill -TERM $$'; echo $?
)
echo "[$?]"
(
sh -c 'kill -USR1 $$'; echo $?
)
echo "[$?]"
(
sh -c 'kill -ABRT $$'; echo $?
)
echo "[$?]"
(
sh -c 'kill -ALRM $$'; echo $?
)
echo "[$?]"
(
true & wait $!; echo $?
)
echo "[$?]"
(
false & wait $!; echo $?
)
echo "[$?]"
(
wait; echo $?
)
echo "[$?]"
