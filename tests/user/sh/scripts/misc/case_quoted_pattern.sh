x='*'
case abc in "$x") echo quoted-star;; *) echo star-matched;; esac
case '*' in "$x") echo literal-star;; esac
case abc in $x) echo unquoted-var-glob;; esac
