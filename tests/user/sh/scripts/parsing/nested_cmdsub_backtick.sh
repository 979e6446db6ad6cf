echo `echo \`echo deep\``
echo $(echo $(echo $(echo three)))
