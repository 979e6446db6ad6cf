# mmbox -m 1G < rootfs/root/labs/04-slab.sh
# Lab 04: slab and kmalloc. Explanations: docs/labs/04-slab.md in the mmbox repository
caches='^(task_struct|mm_struct|vm_area_struct|kmalloc-1k|slab_demo|dentry|inode_cache) '
echo "== step 1: /proc/slabinfo: one line per cache"
head -2 /proc/slabinfo
grep -E "$caches" /proc/slabinfo
echo
echo "== step 2: slabtop: the biggest caches"
slabtop -o | head -12
echo
echo "== step 3: a module with its own cache, kmalloc'ed objects and a vmalloc buffer"
cat /lib/modules/slab_demo.ko | grep -E '^(cache|alloc|kmalloc|vmalloc)'
grep -E '^(Slab|SReclaimable|SUnreclaim):' /proc/meminfo
insmod /lib/modules/slab_demo.ko count=1000
grep -E "$caches" /proc/slabinfo
grep -E '^(Slab|SReclaimable|SUnreclaim):' /proc/meminfo
echo
echo "== step 4: the cache in sysfs: 300-byte objects, HWCACHE_ALIGN, order-1 slabs"
cd /sys/kernel/slab/slab_demo
for f in object_size slab_size objs_per_slab order objects slabs aliases; do
  echo "  $f: $(cat $f)"
done
cd /
echo "  slab_demo_small is an alias of a merged cache:"
ls -l /sys/kernel/slab | grep slab_demo_small | sed 's/.* slab_demo_small/  slab_demo_small/'
echo
echo "== step 5: rmmod destroys the cache and frees the objects"
rmmod slab_demo
grep -E "$caches" /proc/slabinfo
grep -E '^(Slab|SReclaimable|SUnreclaim):' /proc/meminfo
echo
echo "== step 6: reclaimable caches: fill the dentry cache, then drop it"
ls -R /sys > /dev/null
grep -E '^(dentry|inode_cache|kernfs_node_cache) ' /proc/slabinfo
grep -E '^SReclaimable' /proc/meminfo
echo 2 > /proc/sys/vm/drop_caches
grep -E '^(dentry|inode_cache|kernfs_node_cache) ' /proc/slabinfo
grep -E '^SReclaimable' /proc/meminfo
