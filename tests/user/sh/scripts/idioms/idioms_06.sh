(
for i in 1 2 3; do continue; echo x; done; echo end
)
echo "[$?]"
(
i=0; while [ $i -lt 3 ]; do i=$((i+1)); [ $i -eq 2 ] && continue; echo $i; done
)
echo "[$?]"
(
case "a b" in "a b") echo spaced;; esac
)
echo "[$?]"
(
case x in (x) echo x;; (*) echo star;; esac
)
echo "[$?]"
(
case '' in '') echo empty;; esac
)
echo "[$?]"
(
case a in b) ;; *) echo default;; esac; echo $?
)
echo "[$?]"
(
case a in a) false;; esac; echo $?
)
echo "[$?]"
(
case a in [!b]) echo notb;; esac
)
echo "[$?]"
