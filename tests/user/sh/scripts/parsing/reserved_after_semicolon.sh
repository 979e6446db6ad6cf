if true; then echo a; fi; if false; then :; else echo b; fi
while false; do :; done; echo c
