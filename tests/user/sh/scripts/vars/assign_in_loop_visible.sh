for i in 1 2 3; do last=$i; done
echo $last
while read x; do count=$x; done <<EOF
5
EOF
echo $count
