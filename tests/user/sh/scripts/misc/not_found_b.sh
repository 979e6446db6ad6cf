nosuchcmd_1
echo $?
./nosuchfile
echo $?
/bin/nosuch
echo $?
