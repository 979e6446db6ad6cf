if false; then :; fi
echo "if without branch: $?"
if true; then false; fi
echo "if branch failed: $?"
