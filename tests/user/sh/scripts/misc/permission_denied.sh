echo 'echo hi' > noexec.sh
./noexec.sh
echo $?
mkdir dir1
./dir1
echo $?
# needs: mkdir
