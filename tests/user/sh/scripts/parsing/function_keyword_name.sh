f() { echo ok; }
f
g ( ) { echo spaced; }
g
