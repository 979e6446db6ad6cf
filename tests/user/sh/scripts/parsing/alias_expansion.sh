alias say='echo said'
say hello
alias ll='echo listing'
ll -l
unalias say
say 2>/dev/null || echo "say gone"
