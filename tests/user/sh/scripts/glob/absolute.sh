mkdir -p t/u
touch t/u/w
echo t/*/w
cd t && echo ./*
# needs: touch mkdir
