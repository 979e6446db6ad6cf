command echo via command
command -v echo
command -v cd
command -v nosuch
echo "st=$?"
f() { echo func; }
command -v f
