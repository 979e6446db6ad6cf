mkdir -p d1/d2
cd d1
cd d2
cd ..
ls
cd ../nonexistent_dir
echo "cd failed: $?"
# needs: ls mkdir
