true && true && echo three-ands
false || false || echo three-ors
true && false || true && echo mixed
