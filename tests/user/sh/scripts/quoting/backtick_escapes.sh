echo `echo \$HOME`
echo "`echo \"q\"`"
x=`echo a\\b`
echo "$x"
