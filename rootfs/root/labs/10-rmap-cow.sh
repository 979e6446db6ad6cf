# mmbox -m 1G < rootfs/root/labs/10-rmap-cow.sh
# Lab 10: page reference counts, rmap and copy-on-write. Explanations: docs/labs/10-rmap-cow.md in the mmbox repository
echo "== step 1: fork shares every anonymous page copy-on-write (/usr/share/run/forktest)"
run forktest
echo
echo "== step 2: after the child is gone, the parent's write faults reuse its pages (no copy)"
cat > /tmp/reuse <<'END'
b = mmap 4M rw
write b 4M 0x11
c = fork
  write b 1M 0x22
end
wait c
print "-- the child wrote 1M (256 copies) and exited; the parent's PTEs are still read-only"
show /proc/meminfo AnonPages
faults
write b 4M 0x33
print "-- the parent wrote 4M: 1024 write faults, and not one page more"
show /proc/meminfo AnonPages
faults
END
grep -E '^pgreuse ' /proc/vmstat
run /tmp/reuse
grep -E '^pgreuse ' /proc/vmstat
echo
echo "== step 3: Pss divides each page by the number of processes mapping it (mapcount)"
text() {
  echo "  $1 processes map /usr/bin/hog's text: $(grep -A6 'r-xp.*/usr/bin/hog' /proc/$2/smaps | grep -E '^(Rss|Pss):' | tr -s ' ' | tr '\n' ' ')"
}
hog 1M 1M hold > /dev/null &
first=$!
text 1 $first
hog 1M 1M hold > /dev/null &
text 2 $first
hog 1M 1M hold > /dev/null &
hog 1M 1M hold > /dev/null &
text 4 $first
kill %1 %2 %3 %4
wait
echo
echo "== step 4: MAP_SHARED memory is never copied: one set of pages (/usr/share/run/shared)"
run shared
