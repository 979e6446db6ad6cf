echo $(echo $(echo nested))
echo "$(echo "inner \"quotes\"")"
echo `echo \`echo old\``
