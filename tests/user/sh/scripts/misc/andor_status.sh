false && true
echo "s=$?"
true || false
echo "s=$?"
! true
echo "s=$?"
! false
echo "s=$?"
