case 1 in
  1) echo one;&
  2) echo two;;
  3) echo three;;
esac
