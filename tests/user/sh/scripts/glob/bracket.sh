for f in x1 x2 x3 xa; do : >"$f"; done
echo x[12]
echo x[!1]
echo x[0-9]
echo x[a-z]
