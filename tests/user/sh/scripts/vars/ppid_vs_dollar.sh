p=$$
sh -c 'echo $PPID' > ppid.txt
[ "$(cat ppid.txt)" = "$p" ] && echo "child PPID is parent pid"
