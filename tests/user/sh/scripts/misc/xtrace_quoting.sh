# set -x: the trace goes to the shell's own stderr (not where 2> sends the
# command's), after the redirections succeeded; words are single-quoted when
# they hold a character the shell treats specially, reserved words always.
set -x
echo "" a%b c=d "x y" "]" "[" "^" "~" "{" "}" if then "!" , "a,b" "\\" "a:b@c" "" 'it'\''s' "t	ab"
v="a b" w= echo
z=%q
echo a 2>/dev/null
echo b >/nonexist/f
nosuch 2>/dev/null
f() { echo f; }
f 2>/dev/null
{ echo g; } 2>/dev/null
echo $(echo sub)
