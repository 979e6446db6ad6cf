case b in (a) echo A;; (b) echo B;; esac
case x in
esac
echo "empty case: $?"
