trap 'echo cleanup' EXIT
echo ${undefined_var?failed}
