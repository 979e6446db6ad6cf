mkdir a b
cd a
cd ../b
cd - > /dev/null
ls ..
# needs: ls mkdir
