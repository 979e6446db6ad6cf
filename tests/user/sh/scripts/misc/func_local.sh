x=global
f() {
  local x=local
  echo "in f: $x"
  g
}
g() { echo "in g: $x"; x=changed-by-g; }
f
echo "after: $x"
