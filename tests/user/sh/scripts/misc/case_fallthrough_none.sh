case x in
  x) echo first ;;
  x) echo second ;;
esac
case y in
  (y) echo paren ;;
esac
case z in z) esac
echo "st=$?"
