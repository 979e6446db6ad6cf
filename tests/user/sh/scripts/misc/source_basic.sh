echo 'x=sourced; echo "in file: $1"' > lib.sh
. ./lib.sh arg
echo "x=$x"
