f() { echo $#; }
f "" ''
f "$nothing"
f $nothing
f "" "$nothing" x
