for c in a Z 5 - ' '; do
  case "$c" in
    [[:lower:]]) echo "$c lower" ;;
    [[:upper:]]) echo "$c upper" ;;
    [[:digit:]]) echo "$c digit" ;;
    [!a-z]) echo "[$c] not a-z" ;;
  esac
done
