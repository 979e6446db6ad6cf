(
case - in [a-]) echo dash;; esac
)
echo "[$?]"
(
case ] in []]) echo bracket;; esac
)
echo "[$?]"
(
case '\' in '\') echo backslash;; esac
)
echo "[$?]"
(
if false; then :; elif true; then echo elif; fi
)
echo "[$?]"
(
if (exit 3); then :; else echo "else $?"; fi
)
echo "[$?]"
(
! false && echo negation
)
echo "[$?]"
(
true | false | true; echo $?
)
echo "[$?]"
(
sh -c 'exit 3'; echo $?
)
echo "[$?]"
