x=outer
x=inner sh -c 'echo "child sees $x"'
echo "shell keeps $x"
f() { echo "f sees $x"; }
x=temp f
echo "after f: $x"
