# -n counts every byte read, escapes included; -n 0 is no limit; an escaped delimiter is literal
read -n 0 v <<E
abc
E
echo "[$v] $?"
read -n 3 v <<E
a\
bcd
E
echo "[$v] $?"
read -n 2 v <<E
\ab
E
echo "[$v]"
read -n 1 v <<E
\\xy
E
echo "[$v]"
read -d b -n 5 v <<E
a\bcdef
E
echo "[$v]"
