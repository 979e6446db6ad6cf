alias hi='echo hello'
alias
unalias hi
alias
