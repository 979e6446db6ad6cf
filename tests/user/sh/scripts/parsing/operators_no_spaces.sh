true&&echo and;false||echo or
echo x>o.txt;cat<o.txt
