# The shell looks up each command of a pipeline before it forks, so its hash
# table learns them; `hash` lists the table in ash's order (by bucket).
hash | wc -l
echo a | grep a
ls / | cat >/dev/null
x=1 | wc -l
f() { :; }
f | sort
"cut" -c1 </dev/null | true
hash | sed 's#.*/##'
hash -r
hash | wc -l
