# mmbox -m 1G < rootfs/root/labs/02-buddy.sh
# Lab 02: the buddy allocator and migrate types. Explanations: docs/labs/02-buddy.md in the mmbox repository
echo "== step 1: free blocks per order, per zone (order 0 = 4 kB ... order 11 = 8 MB)"
cat /proc/buddyinfo
echo
echo "== step 2: the same split by migrate type, then pageblocks per type"
cat /proc/pagetypeinfo
echo
echo "== step 3: an order-6 movable block (64 pages for user memory): watch order 7 split"
pagealloc alloc 6 GFP_HIGHUSER_MOVABLE
echo
echo "== step 4: an order-2 kernel block (GFP_KERNEL: unmovable, lowmem only)"
pagealloc alloc 2 GFP_KERNEL
echo
echo "== step 5: an order-9 unmovable block: no unmovable block that big is free,"
echo "==         so the allocator falls back and steals a whole movable pageblock"
pagealloc alloc 9 GFP_KERNEL
grep -A2 '^Number of blocks' /proc/pagetypeinfo
grep 'DMA, type    Unmovable' /proc/pagetypeinfo
echo
echo "== step 6: the blocks we hold, then free them all: buddies merge again"
pagealloc
pagealloc free all
echo
echo "== step 7: after the free, the stolen pageblock is still Unmovable"
grep -A2 '^Number of blocks' /proc/pagetypeinfo
