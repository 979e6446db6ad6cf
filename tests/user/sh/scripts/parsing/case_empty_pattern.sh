case x in ) echo m1;; esac
echo never
