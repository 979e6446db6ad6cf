fact() {
  if [ $1 -le 1 ]; then echo 1; return; fi
  local p
  p=$(fact $(($1 - 1)))
  echo $(($1 * p))
}
fact 5
fact 10
