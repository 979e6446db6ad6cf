cat > lib.sh <<'EOF'
libvar=from-lib
libfunc() { echo "libfunc $1"; }
EOF
. ./lib.sh
echo $libvar
libfunc arg
