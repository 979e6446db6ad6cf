mkdir -p d1/sub d2
touch d1/f1 d2/f2
echo */
echo d*/*
echo */f?
# needs: touch mkdir
