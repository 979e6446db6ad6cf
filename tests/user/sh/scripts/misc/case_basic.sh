for x in apple banana cherry 42 ''; do
  case $x in
    a*) echo "$x: a-word" ;;
    b*|c*) echo "$x: b or c" ;;
    [0-9]*) echo "$x: number" ;;
    *) echo "[$x]: other" ;;
  esac
done
