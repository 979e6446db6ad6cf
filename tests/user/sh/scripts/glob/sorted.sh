touch b a C c B A
echo *
# needs: touch
