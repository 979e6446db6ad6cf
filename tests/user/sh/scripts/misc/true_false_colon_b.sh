true; echo $?
false; echo $?
:; echo $?
: ignored args $(echo here); echo $?
