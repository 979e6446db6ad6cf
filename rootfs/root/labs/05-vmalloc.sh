# mmbox -m 1G < rootfs/root/labs/05-vmalloc.sh
# Lab 05: vmalloc. Explanations: docs/labs/05-vmalloc.md in the mmbox repository
# The kernel's debug files live in debugfs, which the boot does not mount.
mount -t debugfs debugfs /sys/kernel/debug
echo "== step 1: the vmalloc area's size and use"
grep -E '^Vmalloc' /proc/meminfo
echo
echo "== step 2: /proc/vmallocinfo: one line per vmap_area (who asked, how big, what kind)"
head -3 /proc/vmallocinfo
echo "  ... $(grep -c . /proc/vmallocinfo) areas; grouped by caller:"
cut -d' ' -f2- /proc/vmallocinfo | sed 's/+0x[0-9a-f]*\/0x[0-9a-f]*//; s/phys=0x[0-9a-f]* //' | sort | uniq -c | sort -rn | head -12
echo
echo "== step 3: a module: its text goes to the modules area, its 1 MB buffer to vmalloc"
grep -E '^VmallocUsed' /proc/meminfo
insmod /lib/modules/slab_demo.ko
grep -E 'load_module|slab_demo' /proc/vmallocinfo
grep -E '^VmallocUsed' /proc/meminfo
cat /proc/modules
echo
echo "== step 4: rmmod: vfree gives the pages and the address range back"
rmmod slab_demo
grep -E 'load_module|slab_demo' /proc/vmallocinfo
grep -E '^VmallocUsed' /proc/meminfo
echo
echo "== step 5: where the modules area and the vmalloc area are"
grep -E 'vmalloc|modules' /sys/kernel/debug/kernel_layout
