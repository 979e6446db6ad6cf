set -x
echo traced
x=5
y="a b"; echo "$y"
set +x
echo untraced
