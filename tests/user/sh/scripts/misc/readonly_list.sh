readonly a=1 b="two words"
readonly -p
