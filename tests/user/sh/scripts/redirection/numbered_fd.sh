exec 3> three.txt
echo via-3 >&3
echo again >&3
exec 3>&-
cat three.txt
exec 4< three.txt
read a <&4
read b <&4
echo "$a / $b"
