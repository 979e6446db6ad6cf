# mmbox -m 512M < rootfs/root/labs/15-ksm.sh
# Lab 15: Kernel Samepage Merging (KSM). Explanations: docs/labs/15-ksm.md in the mmbox repository
ksm() {
  echo "  $(cd /sys/kernel/mm/ksm; for f in full_scans pages_shared pages_sharing pages_unshared pages_volatile stable_node_chains stable_node_dups; do printf '%s=%s ' $f $(cat $f); done)"
}
echo "== step 1: ksmd's knobs: it sleeps until run is 1"
cd /sys/kernel/mm/ksm; grep . run pages_to_scan sleep_millisecs max_page_sharing; cd /
ksm
echo
echo "== step 2: two processes map 16M each of the same byte and mark it MADV_MERGEABLE"
cat > /tmp/same <<'END'
b = mmap 16M rw
write b 16M 0x5a
madvise b 16M mergeable
pause
END
run /tmp/same & A=$!
run /tmp/same & B=$!
sleep 1
grep -E '^(MemFree|AnonPages)' /proc/meminfo
echo
echo "== step 3: run=1: ksmd scans 1000 pages every 20 ms"
echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
echo 1 > /sys/kernel/mm/ksm/run
for s in 1 2 3; do
  sleep 0.1
  echo "-- after ${s}00 ms"
  ksm
done
sleep 1
echo "-- after 1.3 s"
ksm
grep -E '^(MemFree|AnonPages)' /proc/meminfo
echo "-- A's view: its RSS, the pages of it KSM merged, its rmap_items"
grep -E '^VmRSS' /proc/$A/status
echo "  ksm_merging_pages $(cat /proc/$A/ksm_merging_pages), $(cat /proc/$A/ksm_stat)"
echo
echo "== step 4: a write to a merged page copies it (cow_ksm); ksmd notices on its next pass"
cat > /tmp/writer <<'END'
b = mmap 4M rw
write b 4M 0x5a
madvise b 4M mergeable
sleep 1s
print "-- merged into the same KSM pages:"
show ksm_merging_pages
write b 1M
show /proc/vmstat cow_ksm
sleep 500ms
print "-- the 256 written pages are its own again:"
show ksm_merging_pages
END
run /tmp/writer
ksm
echo
echo "== step 5: run=2 copies every page back and forgets the scans"
echo 2 > /sys/kernel/mm/ksm/run
ksm
grep -E '^(MemFree|AnonPages)' /proc/meminfo
grep -E '^cow_ksm' /proc/vmstat
kill $A $B
wait
