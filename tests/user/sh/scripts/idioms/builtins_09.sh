(
export W=~; echo $W
)
echo "[$?]"
(
for input in '::' 'a:b:' 'a:b::' 'a::' ':a' 'a:b:c:' ' a : b : ' 'a: :' 'x' '' 'a b  c  ' '  a  '; do printf '%s\n' "$input" | { IFS=: read -r p q; echo "[$p][$q]"; }; printf '%s\n' "$input" | { IFS=" :" read -r p q; echo " ws: [$p][$q]"; }; printf '%s\n' "$input" | { read -r p; echo " one: [$p]"; }; done
)
echo "[$?]"
