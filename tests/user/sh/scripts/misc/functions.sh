greet() {
  echo "hello $1, $# args"
}
greet world
greet a b c
f2() { echo in f2; }
f2
