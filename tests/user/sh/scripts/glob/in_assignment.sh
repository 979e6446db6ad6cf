touch v1 v2
x=v*
echo "$x"
echo $x
# needs: touch
