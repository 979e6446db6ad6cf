# mmbox -m 1G < rootfs/root/labs/06-layout.sh
# Lab 06: the kernel memory layout (32-bit ARM, 3G/1G split). Explanations: docs/labs/06-layout.md in the mmbox repository
# The kernel's debug files live in debugfs, which the boot does not mount.
mount -t debugfs debugfs /sys/kernel/debug
echo "== step 1: the kernel's virtual address space, top (0xffffffff) to bottom"
cat /sys/kernel/debug/kernel_layout
echo
echo "== step 2: physical addresses: RAM and where the kernel image sits in it"
grep -E 'System RAM|Kernel' /proc/iomem
echo
echo "== step 3: lowmem is RAM mapped once and for all at 0xc0000000: 768 MB of it"
dmesg | grep -E '  (DMA|HighMem) +\[mem'
grep -E '^(LowTotal|HighTotal)' /proc/meminfo
echo
echo "== step 4: user space ends where the modules area starts (TASK_SIZE = 0xbf000000)"
cat /proc/self/maps
echo
echo "== step 5: HighMem pages have no permanent mapping: the kernel maps them a moment"
echo "==         to touch them (kmap_local). 20 MB of user memory, zeroed through kmap:"
grep -E 'kmap_local|pkmap entries:' /sys/kernel/debug/highmem
memhog 20M > /dev/null 2>&1
grep -E 'kmap_local' /sys/kernel/debug/highmem
