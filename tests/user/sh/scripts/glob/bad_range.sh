s=abc
echo "[${s%[z-a]}]" "[${s#[z-a]*}]"
case b in [z-a]) echo range;; [c-a]b) echo no;; *) echo none;; esac
case - in [z-a-]) echo dash;; esac
echo [z-a]*
echo end
