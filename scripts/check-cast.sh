#!/usr/bin/env bash
# check-cast.sh - checks mmbox's recordings with Debian's asciinema (2.x), the
# reference reader of asciicast v2:
#
#   1. a plain session (--echo --record): `asciinema cat` prints exactly what
#      mmbox printed (with a terminal's \r\n), and so does `mmbox play`;
#   2. a session killed with SIGKILL mid-way: asciinema reads the file up to
#      its last event, and `mmbox replay --check` accepts it as far as it goes;
#   3. an interactive session (tmux, when installed): asciinema reads it and
#      `asciinema play` runs through it.
#
# Not part of `npm test` (CI has no asciinema): run it after `npm run build`.
# Exit 0 when every check passes, 1 on the first failure; it skips (exit 0,
# saying so) when asciinema is not installed. `asciinema cat` insists on a
# terminal, so it runs under script(1).

set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v asciinema >/dev/null; then
  echo "check-cast: asciinema is not installed: skipped"
  exit 0
fi
[ -f dist/mmbox.js ] || { echo "check-cast: run 'npm run build' first" >&2; exit 1; }

TMP=$(mktemp -d)
S="mmbox-cast-$$"
trap 'tmux kill-session -t "$S" 2>/dev/null || true; rm -rf "$TMP"' EXIT
MMBOX=(node bin/mmbox.js)

fail() { echo "check-cast: FAIL: $1" >&2; exit 1; }
ok() { echo "check-cast: ok: $1"; }
# asciinema's own reading of a file: its output events, concatenated.
acat() { script -qec "asciinema cat '$1'" /dev/null </dev/null; }

# 1. A plain session.
printf 'echo hello\ncat /proc/buddyinfo\nfree\nexit 3\n' >"$TMP/script"
status=0
"${MMBOX[@]}" --echo --record "$TMP/plain.cast" <"$TMP/script" >"$TMP/plain.out" || status=$?
[ "$status" -eq 3 ] || fail "plain session exited with $status, not the shell's 3"
sed 's/$/\r/' "$TMP/plain.out" >"$TMP/plain.crlf"
acat "$TMP/plain.cast" >"$TMP/plain.acat" || fail "asciinema cat failed on the plain recording"
cmp -s "$TMP/plain.acat" "$TMP/plain.crlf" || fail "asciinema cat differs from what mmbox printed"
"${MMBOX[@]}" play --speed 1000 "$TMP/plain.cast" >"$TMP/plain.play"
cmp -s "$TMP/plain.play" "$TMP/plain.crlf" || fail "mmbox play differs from what mmbox printed"
head -n 1 "$TMP/plain.cast" | grep -q '"MMBOX_MACHINE":"vexpress-a9","MMBOX_MEMORY":"1073741824"' ||
  fail "the header does not record the machine and its memory"
head -n 1 "$TMP/plain.cast" | grep -q '"MMBOX_SEED":"1"' || fail "the header does not record the seed"
ok "plain recording: asciinema cat and mmbox play print what mmbox printed"

# 2. Killed with SIGKILL in the middle of the session.
mkfifo "$TMP/in"
"${MMBOX[@]}" --echo --record "$TMP/killed.cast" <"$TMP/in" >/dev/null &
pid=$!
# Not a job of this shell: bash would report its SIGKILL ("line N: PID Killed ...") on stderr
# whenever it happens to reap it. The shell still reaps it, silently.
disown "$pid"
exec 3>"$TMP/in"
printf 'echo one\necho two\n' >&3
for _ in $(seq 600); do
  grep -q 'two\\r\\n' "$TMP/killed.cast" 2>/dev/null && break
  sleep 0.05
done
kill -KILL "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
exec 3>&-
acat "$TMP/killed.cast" >"$TMP/killed.acat" || fail "asciinema cannot read the killed session's recording"
grep -q '^two' "$TMP/killed.acat" || fail "the killed session's recording lost its last output"
out=$("${MMBOX[@]}" replay --check "$TMP/killed.cast")
case "$out" in
  *"output identical as far as the recording goes"*) ;;
  *) fail "replay --check of the killed session said: $out" ;;
esac
ok "SIGKILLed session: the file reads up to its last event"

# 3. An interactive session, when tmux is there to give it a terminal.
if command -v tmux >/dev/null; then
  tmux new-session -d -s "$S" -x 100 -y 30 \
    "env -u CI node bin/mmbox.js --record '$TMP/tty.cast'; echo mmbox-done; sleep 600"
  wait_screen() {
    for _ in $(seq 600); do
      tmux capture-pane -p -t "$S" | grep -q -- "$1" && return 0
      sleep 0.1
    done
    fail "the interactive session never showed '$1'"
  }
  wait_screen "Please press Enter"
  tmux send-keys -t "$S" Enter
  wait_screen "^/ #"
  tmux send-keys -t "$S" -l "free"
  tmux send-keys -t "$S" Enter
  wait_screen "^Mem: "
  tmux send-keys -t "$S" C-a x
  wait_screen "mmbox-done"
  acat "$TMP/tty.cast" >"$TMP/tty.acat" || fail "asciinema cat failed on the interactive recording"
  grep -q '^Mem: ' "$TMP/tty.acat" || fail "asciinema cat of the interactive recording lacks the output"
  script -qec "asciinema play -s 1000 -i 0.01 '$TMP/tty.cast'" /dev/null </dev/null >"$TMP/tty.play" ||
    fail "asciinema play failed on the interactive recording"
  grep -q '^Mem: ' "$TMP/tty.play" || fail "asciinema play of the interactive recording lacks the output"
  ok "interactive recording: asciinema cat and asciinema play read it"
else
  echo "check-cast: tmux is not installed: interactive recording not checked"
fi

echo "check-cast: all checks passed"
