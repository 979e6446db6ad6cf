# mmbox -m 1G < rootfs/root/labs/01-zones.sh
# Lab 01: physical memory and zones. Explanations: docs/labs/01-zones.md in the mmbox repository
# The kernel's debug files live in debugfs, which the boot does not mount.
mount -t debugfs debugfs /sys/kernel/debug
echo "== step 1: the boot log's view of RAM (memblock, zones, the Memory: line)"
dmesg | grep -E 'Zone ranges|  (DMA|Normal|HighMem) |node   0:|Total pages|Memory:|cma:'
echo
echo "== step 2: memblock, the boot-time allocator: RAM banks and reserved regions"
echo "-- memory:"
cat /sys/kernel/debug/memblock/memory
echo "-- reserved (kernel image, initrd, DTB, page tables, struct pages, CMA...):"
cat /sys/kernel/debug/memblock/reserved
echo
echo "== step 3: each zone's size: spanned >= present >= managed"
grep -E '^Node|spanned|present|managed|cma ' /proc/zoneinfo
echo
echo "== step 4: the picture: every MiB of physical memory, zone by zone (physmap)"
physmap
echo
echo "== step 5: what the kernel freed after the Memory: line"
dmesg | grep Freeing
echo
echo "== step 6: MemTotal is the sum of managed pages (x4 kB)"
grep -E 'MemTotal|MemFree|HighTotal|LowTotal|CmaTotal' /proc/meminfo
echo
echo "== step 7: the same in free(1)"
free
