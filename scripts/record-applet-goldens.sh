#!/bin/sh
# record-applet-goldens.sh - run tests/user/applets/golden/*.cmds under the
# host's Debian BusyBox 1.35 (apt-get install busybox) and write the matching
# .out files that the applet tests compare mmbox against.
#
#   scripts/record-applet-goldens.sh coreutils-usage    # one file
#   scripts/record-applet-goldens.sh                    # every *.cmds
#
# Each .cmds line runs in "busybox sh" on a pseudo-terminal (as mmbox's
# console is one), in an empty scratch directory, with PATH holding only
# BusyBox's applets; carriage returns are dropped.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$here/tests/user/applets/golden
py=$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3) || { echo "python3 is needed for a pseudo-terminal" >&2; exit 1; }
bb=$(command -v busybox) || { echo "busybox is not installed" >&2; exit 1; }
"$bb" | head -1 | grep -q 'v1.35.0 (Debian 1:1.35.0-4' || echo "warning: not Debian's BusyBox 1.35" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/root"
for a in $("$bb" --list); do ln -s "$bb" "$work/bin/$a"; done
ln -s "$bb" "$work/bin/busybox"
names=${*:-$(cd "$dir" && ls *.cmds | sed 's/\.cmds$//')}
for n in $names; do
  (cd "$work/root" && env -i PATH="$work/bin" HOME=/ TERM=dumb "$py" -c '
import pty, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
pty.spawn([sys.argv[1], "sh", sys.argv[2]])' "$bb" "$dir/$n.cmds") | tr -d '\r' > "$dir/$n.out"
  echo "recorded $dir/$n.out"
done
