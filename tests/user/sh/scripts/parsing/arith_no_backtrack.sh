echo before
echo $(( echo inner ); echo after)
echo never
