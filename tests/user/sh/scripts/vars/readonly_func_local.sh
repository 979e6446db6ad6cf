readonly R=1
f() { local R=2; echo "local $R"; }
f
echo "R=$R"
