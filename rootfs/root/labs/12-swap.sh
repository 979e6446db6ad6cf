# mmbox -m 256M --disk 512M < rootfs/root/labs/12-swap.sh
# Lab 12: the anonymous page life cycle and swap. Explanations: docs/labs/12-swap.md in the mmbox repository
swapstat() {
  grep -E '^(pswpin|pswpout|pgmajfault|workingset_refault_anon|workingset_activate_anon) ' /proc/vmstat | tr '\n' ' '
  grep -E '^(SwapCached|SwapFree)' /proc/meminfo | tr -s ' ' | tr '\n' ' '
  echo
}
echo "== step 1: a swap area on the 512 MB virtio disk"
mkswap /dev/vda
swapon /dev/vda
cat /proc/swaps
echo
echo "== step 2: a program writes 120 MB (a), then 120 MB more (b): more than fits in RAM"
cat > /tmp/life <<'END'
a = mmap 120M rw
write a 120M 0x11
print "-- a written: new anonymous pages start on the inactive anon list"
show /proc/meminfo Active(anon) Inactive(anon)
b = mmap 120M rw
write b 120M 0x22
print "-- b written: the oldest pages (a's) went to swap"
show status VmRSS VmSwap
faults
read a 120M
print "-- a read again: each swapped-out page is a major fault (swap-in); b's pages go out"
show status VmRSS VmSwap
faults
munmap a 120M
print "-- a unmapped: 120 MB free again, b still has pages in swap; parked (pause)"
show status VmRSS VmSwap
f = open /tmp/life.parked w create
pause
END
swapstat
run /tmp/life &
pid=$!
while [ ! -e /tmp/life.parked ]; do sleep 1; done
swapstat
echo
echo "== step 3: where b's swapped pages are: smaps' Swap column, the disk's I/O counters"
grep -E '^[0-9a-f]+-|^Rss|^Swap:' /proc/$pid/smaps | grep -B2 -E '^Swap: +[0-9]{4,}'
echo "  /sys/block/vda/stat: reads, merged, sectors read, ms, writes, merged, sectors written, ms, ..."
cat /sys/block/vda/stat
echo
echo "== step 4: swapoff brings every swapped page back into RAM (try_to_unuse)"
free
swapoff /dev/vda
free
grep -E '^(VmRSS|VmSwap)' /proc/$pid/status
swapstat
echo
echo "== step 5: the program exits: its pages are freed"
kill $pid
wait
free
