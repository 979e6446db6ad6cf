# BusyBox 1.35 leaves double quotes in the expression, and math.c rejects them
x=1
echo $(($x+1))
echo $(("$x"+1))
echo after $?
echo $(("1"))
echo end
