touch q1 q2
echo "q*" 'q*' q\*
# needs: touch
