! echo a | cat
echo $?
! { false; }
echo $?
