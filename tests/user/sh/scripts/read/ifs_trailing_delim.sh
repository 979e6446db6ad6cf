for ifs in ':' ' :' ' '; do
  for s in 'a:b:' 'a::' '::' 'a:b::' ':a:b:c:' 'a: b :' 'a :: b' ' a : ' 'a b  c '; do
    IFS="$ifs" read -r p q <<E
$s
E
    echo "[$ifs] '$s' -> [$p][$q]"
  done
done
