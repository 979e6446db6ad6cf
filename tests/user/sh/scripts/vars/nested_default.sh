unset a b
echo ${a:-${b:-inner}}
b=bee
echo ${a:-${b:-inner}}
