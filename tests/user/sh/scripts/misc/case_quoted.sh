x='*'
case abc in "$x") echo quoted-star ;; *) echo fallback ;; esac
case '*' in "$x") echo literal ;; esac
case abc in $x) echo unquoted ;; esac
