#!/bin/sh
# record-ash-fixtures.sh - records what real BusyBox ash (Debian's
# busybox-static 1.35 package, the binary of the reference guests:
# apt-get install busybox-static) prints for each conformance script
# tests/user/sh/scripts/<category>/NAME.sh, into
# tests/fixtures/ash/<category>/NAME.out and NAME.status.
#
# Each script is copied to x.sh in a fresh empty scratch directory and run
# there as `sh x.sh`, with stdin from /dev/null, a fixed environment (the
# one the simulated kernel gives init: HOME=/ TERM=linux, and a PATH holding
# only BusyBox applets) and a 10 s limit. Its stdout and stderr go together
# (2>&1, so their interleaving is kept) to NAME.out; its exit status goes to
# NAME.status. (The static build runs BusyBox's own applets before searching
# PATH, some without exec - FEATURE_SH_STANDALONE; of the scripts, only the
# hash ones print otherwise with Debian's dynamic busybox package.)
# tests/user/sh/conformance.test.ts runs the same script the
# same way inside mmbox and compares both. CI reads the recordings and does
# not need busybox.
#
# usage: scripts/record-ash-fixtures.sh [tests/user/sh/scripts/CAT/NAME.sh...]
#        (default: every script)
set -eu
BUSYBOX=${BUSYBOX:-/usr/bin/busybox}
if [ ! -x "$BUSYBOX" ]; then
	echo "record-ash-fixtures: $BUSYBOX not found (apt-get install busybox-static)" >&2
	exit 1
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
"$BUSYBOX" --install -s "$bin"
if [ $# -eq 0 ]; then
	set -- "$root"/tests/user/sh/scripts/*/*.sh
fi
n=0
for script in "$@"; do
	script=$(cd "$(dirname "$script")" && pwd)/$(basename "$script")
	name=$(basename "$script" .sh)
	cat=$(basename "$(dirname "$script")")
	outdir=$root/tests/fixtures/ash/$cat
	mkdir -p "$outdir"
	dir=$(mktemp -d)
	cp "$script" "$dir/x.sh"
	status=0
	(cd "$dir" && env -i HOME=/ TERM=linux PATH="$bin" \
		timeout 10 "$BUSYBOX" sh x.sh </dev/null >"$outdir/$name.out" 2>&1) || status=$?
	echo "$status" >"$outdir/$name.status"
	rm -rf "$dir"
	n=$((n + 1))
done
echo "recorded $n scripts"
