outer() {
  inner() { echo "inner defined by outer"; }
  inner
}
outer
inner
