# A malformed ${...} is a syntax error only when it is expanded: a branch
# never taken is fine, a subshell that expands one exits 2, the script
# stops at the command that expands it (after the ones before it ran); the
# message names the line the parser has reached.
if false; then echo ${}; fi; echo "untaken: ok"
if false; then echo ${1x} ${v!} ${#v:-x} ${v@Q}; fi; echo "untaken too: ok"
v=1; echo "${v:-${x^}}"
( echo ${v^^} ); echo "subshell rc=$?"
f() { echo ${v^^}x; }
echo defined
( f ); echo "function rc=$?"
echo a; echo ${v^^}; echo "not reached"
