echo start
while { false; return 3; } 2>/dev/null; do echo body; done
echo never
