case x
in
  x)
    echo matched
    ;;
esac
case y in x) echo no;;
y) echo yes
esac
