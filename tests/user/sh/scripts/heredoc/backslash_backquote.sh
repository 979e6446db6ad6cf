x=val
cat <<E
\`tick\` \$x \\ \" \a $x
E
cat <<-E
	tab\
	joined
	E
