f() ( echo subshell body; x=1 )
x=0
f
echo x=$x
g() if true; then echo if-body; fi
g
