x='[a]'
case a in $x) echo glob-matched;; esac
case a in "$x") echo no;; *) echo literal;; esac
