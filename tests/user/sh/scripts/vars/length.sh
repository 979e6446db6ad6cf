x=hello
echo ${#x}
y=
echo ${#y}
set -- a b c
echo ${#}
echo ${#@}
