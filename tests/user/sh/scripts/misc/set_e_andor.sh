set -e
false && echo no
echo "survived &&"
! true
echo "survived !"
f() { false; echo "in f continues"; }
f || true
echo end
