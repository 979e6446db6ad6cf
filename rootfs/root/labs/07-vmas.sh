# mmbox -m 1G < rootfs/root/labs/07-vmas.sh
# Lab 07: VMAs: /proc/PID/maps, smaps and pmap of a running program. Explanations: docs/labs/07-vmas.md in the mmbox repository
echo "== step 1: a program that builds a few areas, then waits (run's memory language)"
cat > /tmp/areas <<'END'
heap = malloc 100K
write heap 100K
anon = mmap 1M rw
write anon 256K
ro = mmap 64K r
f = open /tmp/data rw create trunc
ftruncate f 512K
fmap = mmap 512K r shared fd=f
read fmap 128K
mprotect anon+512K 512K r
print "ready"
r = open /tmp/areas.ready w create
pause
END
cat /tmp/areas
run /tmp/areas &
pid=$!
while [ ! -e /tmp/areas.ready ]; do sleep 1; done
echo
echo "== step 2: /proc/PID/maps: one line per vm_area_struct, sorted by address"
cat /proc/$pid/maps
echo
echo "== step 3: the 1 MB mapping became two VMAs: mprotect split it (rw- and r--)"
grep -c . /proc/$pid/maps
echo
echo "== step 4: smaps of the rw half: 512 kB mapped, only the 256 kB written is resident"
grep -A21 '^[0-9a-f]*-.* rw-p 00000000 00:00 0 *$' /proc/$pid/smaps | tail -22 | grep -E '^([0-9a-f]|Size|Rss|Pss:|Private_|Anonymous|Swap:)'
echo
echo "== step 5: pmap -x: the same per area, with totals"
pmap -x $pid
echo
echo "== step 6: the totals in /proc/PID/status"
grep -E '^(VmSize|VmRSS|RssAnon|RssFile|RssShmem|VmData|VmStk|VmExe|VmPTE)' /proc/$pid/status
kill $pid
wait
