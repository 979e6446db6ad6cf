touch .hidden visible
echo *
echo .h*
echo .*
# needs: touch
