a=$$
b=$(echo $$)
[ "$a" = "$b" ] && echo "subshell keeps \$\$"
(c=$$; [ "$a" = "$c" ] && echo "paren too")
