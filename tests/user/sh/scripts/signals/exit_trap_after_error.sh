( trap 'echo "T$?"' EXIT; ${u?unset-u} ); echo "sub=$?"
( trap 'echo "T$?"' EXIT; echo $((1/0)) ); echo "sub=$?"
( trap 'echo "T$?"' EXIT; false; exit ); echo "sub=$?"
