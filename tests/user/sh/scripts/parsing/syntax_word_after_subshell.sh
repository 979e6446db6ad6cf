(echo a) b
