echo 'echo hi' > plain.txt
./plain.txt
echo "st=$?"
