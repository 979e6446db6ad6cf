for i in 1 2; do
  for j in x y; do
    echo "$i$j"
    continue 2
    echo never
  done
done
