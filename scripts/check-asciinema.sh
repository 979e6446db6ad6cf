#!/usr/bin/env bash
# check-asciinema.sh - checks that mmbox's recordings are asciicast v2 as
# asciinema itself reads them (Debian's asciinema 2.x): a plain-mode
# recording and an interactive one (the TUI on a pseudo-terminal made by
# script(1)) go through `asciinema cat` and `asciinema play`, and must show
# what the session printed; both must replay with `mmbox replay --check`.
#
#   scripts/check-asciinema.sh      after `npm run build`; exit 0 when all is well
#
# Skipped (exit 0, saying so) when asciinema or script(1) is not installed
# (CI installs neither): `apt-get install -y asciinema` to run it.
# asciinema opens /dev/tty, so it runs under script(1) as well.

set -euo pipefail
cd "$(dirname "$0")/.."

for tool in asciinema script; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-asciinema: $tool is not installed: skipped"
    exit 0
  fi
done
[ -f dist/mmbox.js ] || { echo "check-asciinema: run 'npm run build' first" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() {
  echo "check-asciinema: FAIL: $1" >&2
  [ -f "$TMP/shown" ] && { echo "---- asciinema showed ----" >&2; cat "$TMP/shown" >&2; }
  exit 1
}
# on_tty CMD: runs CMD on a pseudo-terminal, stdin and stdout passed through.
on_tty() { env -u CI script -qfec "$1" /dev/null; }
# shows FILE REGEX...: `asciinema cat` and `asciinema play` of FILE both show every REGEX.
shows() {
  local file=$1
  shift
  on_tty "asciinema cat '$file'" </dev/null >"$TMP/shown" 2>&1 || fail "asciinema cat $file: status $?"
  for re in "$@"; do grep -Eq -- "$re" "$TMP/shown" || fail "asciinema cat $file: nothing matches /$re/"; done
  on_tty "timeout 60 asciinema play -i 0.2 -s 20 '$file'" </dev/null >"$TMP/shown" 2>&1 ||
    fail "asciinema play $file: status $?"
  for re in "$@"; do grep -Eq -- "$re" "$TMP/shown" || fail "asciinema play $file: nothing matches /$re/"; done
}

# 1. Plain mode (stdin a pipe): typed lines, output with CRLF line ends.
printf 'echo hello from mmbox\ncat /proc/buddyinfo\n' |
  node bin/mmbox.js --echo --record "$TMP/plain.cast" >/dev/null
shows "$TMP/plain.cast" 'hello from mmbox' '^Node 0, zone +DMA( +[0-9]+){12}'
node bin/mmbox.js replay --check "$TMP/plain.cast" >/dev/null || fail "replay --check plain.cast"
echo "check-asciinema: ok: plain recording (asciinema cat, play; replay --check)"

# 2. The TUI on a terminal: keys as a person types them, then Ctrl-A x.
{
  sleep 4.5
  printf '\r'
  sleep 0.8
  printf 'echo typed at the tui\r'
  sleep 0.8
  printf 'cat /proc/buddyinfo\r'
  sleep 0.8
  printf '\001x'
} | on_tty "stty cols 100 rows 30; node bin/mmbox.js --quiet --record '$TMP/tty.cast'" >/dev/null 2>&1 ||
  fail "the TUI session ended with status $?"
shows "$TMP/tty.cast" 'Please press Enter to activate this console' '^typed at the tui' '^Node 0, zone +HighMem'
node bin/mmbox.js replay --check "$TMP/tty.cast" >/dev/null || fail "replay --check tty.cast"
echo "check-asciinema: ok: TUI recording (asciinema cat, play; replay --check)"
