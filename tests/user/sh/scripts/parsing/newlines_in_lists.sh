if true
then
  echo yes
fi
for i in a b
do
  echo $i
done
true &&
echo and-newline
false ||
echo or-newline
