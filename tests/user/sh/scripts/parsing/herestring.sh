echo before
cat <<< "here string"
echo after
