true &&
echo one
false ||
echo two
