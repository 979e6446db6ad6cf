f() { echo inside; } > fout.txt
f
echo "file: $(cat fout.txt)"
