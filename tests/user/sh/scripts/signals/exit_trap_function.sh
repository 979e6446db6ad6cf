cleanup() { echo "cleanup called"; }
trap cleanup EXIT
echo working
