case a in b) echo no ;; esac
echo $?
false
case a in a) ;; esac
echo $?
