echo "one \
two"
