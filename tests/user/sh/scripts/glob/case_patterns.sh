for w in file.txt FILE.TXT data.csv x; do
  case $w in
    *.txt) echo "$w: txt";;
    *.[cC][sS][vV]) echo "$w: csv";;
    [A-Z]*) echo "$w: upper";;
    ?) echo "$w: single";;
  esac
done
