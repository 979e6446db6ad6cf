true && echo and-ok
false && echo not-printed
false || echo or-ok
true || echo not-printed
true && false || echo chain
echo $?
