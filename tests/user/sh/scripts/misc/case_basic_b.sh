for v in apple banana cherry 42 ""; do
  case $v in
    a*) echo "$v starts with a";;
    *an*) echo "$v has an";;
    [0-9]*) echo "$v is a number";;
    "") echo empty;;
    *) echo "$v other";;
  esac
done
