echo line1
echo line2
case
