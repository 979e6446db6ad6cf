echo x | read 1abc
echo "status $?"
