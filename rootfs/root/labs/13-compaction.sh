# mmbox -M pc -m 256M < rootfs/root/labs/13-compaction.sh
# Lab 13: compaction and migration. Explanations: docs/labs/13-compaction.md in the mmbox repository
# The kernel's debug files live in debugfs, which the boot does not mount.
mount -t debugfs debugfs /sys/kernel/debug
dma32() { physmap | sed -n '/zone DMA32/,/^  free/p'; }
counters() {
  grep -E '^(compact_stall|compact_success|compact_fail|compact_migrate_scanned|compact_free_scanned|compact_isolated|pgmigrate_success) ' /proc/vmstat | tr '\n' ' ' | sed 's/ \([a-z]\)/  \1/g'
  echo
}
echo "== step 1: a fresh x86-64 machine: most free memory is in order-10 blocks (4 MB)"
cat /proc/buddyinfo
echo
echo "== step 2: fragment it: a program writes 160 MB (in 4 KB pages: MADV_NOHUGEPAGE), then frees every other page"
cat > /tmp/frag <<'END'
m = mmap 160M rw
madvise m 160M nohugepage
write m 160M
repeat 20480 as i
  madvise m+i*8K 4K dontneed
end
f = open /tmp/fragmented w create
pause
END
run /tmp/frag &
pid=$!
while [ ! -e /tmp/fragmented ]; do sleep 1; done
cat /proc/buddyinfo
echo "-- unusable free space index per order (0: all free memory usable, 1: none):"
cat /sys/kernel/debug/extfrag/unusable_index
echo "-- fragmentation index (-1: a block is free; towards 0: memory is short; towards 1: fragmented):"
cat /sys/kernel/debug/extfrag/extfrag_index
echo "-- the zone's physical pages (lower case: a cell mostly free, its pages scattered):"
dma32
echo "-- the program: RSS, and minflt majflt from /proc/PID/stat"
grep -E '^VmRSS' /proc/$pid/status
cut -d' ' -f10,12 /proc/$pid/stat
echo
echo "== step 3: 20 huge pages (2 MB each, order 9) for the hugetlb pool: direct compaction"
counters
echo 20 > /proc/sys/vm/nr_hugepages
grep -E '^HugePages_Total' /proc/meminfo
counters
echo
echo "== step 4: compact everything else: movable pages go to the top of the zone"
echo 1 > /proc/sys/vm/compact_memory
cat /proc/buddyinfo
dma32
counters
echo
echo "== step 5: the program's pages moved, its memory did not: same RSS, no new faults"
grep -E '^VmRSS' /proc/$pid/status
cut -d' ' -f10,12 /proc/$pid/stat
echo
echo "== step 6: 60 huge pages? The pool stops where the free holes lie between pages that cannot move"
echo 60 > /proc/sys/vm/nr_hugepages
grep -E '^HugePages_(Total|Free)|^Hugetlb' /proc/meminfo
cat /sys/kernel/debug/extfrag/extfrag_index
counters
echo 0 > /proc/sys/vm/nr_hugepages
kill $pid
wait
