

echo after-blank

