# mmbox -m 256M < rootfs/root/labs/14-oom.sh
# Lab 14: the OOM killer. Explanations: docs/labs/14-oom.md in the mmbox repository
scores() {
  for p in $(pidof hog) $$ 1; do
    echo "  pid $p $(cat /proc/$p/comm): VmRSS $(grep VmRSS /proc/$p/status | tr -s ' \t' ' ' | cut -d' ' -f2) kB  oom_score $(cat /proc/$p/oom_score)  oom_score_adj $(cat /proc/$p/oom_score_adj)"
  done
}
report() {
  dmesg | grep -E 'invoked oom-killer|^\[[ .0-9]+\] DMA free|Tasks state|\[  pid  \]|\] \[ +[0-9]+\] |oom-kill:|Out of memory|oom_reaper'
}
echo "== step 1: every process has an OOM score: its memory in thousandths of RAM+swap, scaled"
scores
echo "vm.overcommit_memory=$(cat /proc/sys/vm/overcommit_memory) vm.panic_on_oom=$(cat /proc/sys/vm/panic_on_oom) vm.oom_kill_allocating_task=$(cat /proc/sys/vm/oom_kill_allocating_task)"
echo
echo "== step 2: one 2 GB mapping is refused at mmap time (overcommit heuristic): no OOM"
memhog 2G
echo "memhog: status $?"
echo
echo "== step 3: two processes hold memory: A 60 MB with oom_score_adj 500, B 100 MB"
hog 60M 10M hold > /dev/null &
a=$!
echo 500 > /proc/$a/oom_score_adj
hog 100M 10M hold > /dev/null &
b=$!
sleep 1
scores
echo
echo "== step 4: C grows by 20 MB steps to 200 MB: nothing to reclaim (no swap), so OOM"
dmesg -c > /dev/null
dmesg -n 1
hog 200M 20M
echo "C: status $?"
jobs
echo "-- the kernel's reports, shortened (the whole of them: dmesg):"
report
grep -E '^oom_kill ' /proc/vmstat
echo
echo "== step 5: B becomes immune (oom_score_adj -1000); D grows to 200 MB"
echo -1000 > /proc/$b/oom_score_adj
scores
dmesg -c > /dev/null
hog 200M 20M
echo "D: status $?"
report | grep -E 'Out of memory|oom_score_adj:'
scores
kill %2
wait
grep -E '^oom_kill ' /proc/vmstat
