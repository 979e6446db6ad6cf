touch a1 b2 C3 _4
echo [[:upper:]]*
echo [[:digit:]]* [[:alpha:]][[:digit:]]
# needs: touch
