mkdir sub
cd sub
touch ../up1
echo ../u*
# needs: touch mkdir
