cat > s.sh <<'EOF'
echo "sourced with $# args: $*"
return 3
echo not-here
EOF
. ./s.sh a b
echo "status $?"
set -- p q
. ./s.sh
