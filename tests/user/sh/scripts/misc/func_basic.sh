greet() {
  echo "hello $1"
}
greet world
greet "big world"
f2() { echo "args: $#"; }
f2 a b c
f2
