echo hello > rw.txt
exec 3<> rw.txt
read w <&3
echo "read $w"
