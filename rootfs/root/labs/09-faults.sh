# mmbox -m 1G < rootfs/root/labs/09-faults.sh
# Lab 09: page faults and demand paging. Explanations: docs/labs/09-faults.md in the mmbox repository
echo "== step 1: mmap reserves address space; faults bring memory in page by page"
cat > /tmp/demand <<'END'
faults
m = mmap 40M rw
print "-- after mmap 40M: VmSize +40M, no fault, no RSS"
show status VmSize VmRSS
faults
read m 40M
print "-- after reading 40M: 10240 faults, each maps the shared zero page: RSS unchanged"
show status VmRSS
faults
n = mincore m 40M
printf "   mincore says %d pages are resident (the zero page counts)\n" n
write m 40M 0x5a
print "-- after writing 40M: 10240 more faults (copy-on-write away from the zero page)"
show status VmRSS
faults
write m 40M 0x33
print "-- writing again: the pages are there, no fault at all"
faults
END
run /tmp/demand
echo
echo "== step 2: the zero page is shared by everyone: AnonPages did not grow while reading"
cat > /tmp/zero <<'END'
m = mmap 100M r
read m 100M
show /proc/meminfo MemFree AnonPages
show status VmSize VmRSS
END
grep -E '^(MemFree|AnonPages)' /proc/meminfo
run /tmp/zero
echo
echo "== step 3: the whole system's fault counter"
grep -E '^(pgfault|pgmajfault)' /proc/vmstat
memhog 20M > /dev/null 2>&1
grep -E '^(pgfault|pgmajfault)' /proc/vmstat
echo
echo "== step 4: time -v: a child's faults and peak RSS, as wait4() returns them"
time -v memhog 20M 2>&1 | grep -E 'Command|Maximum resident|page faults'
echo
echo "== step 5: MAP_POPULATE takes the 2048 faults inside mmap(); the writes then take none"
cat > /tmp/populate <<'END'
m = mmap 8M rw populate
faults
write m 8M
faults
END
run /tmp/populate
