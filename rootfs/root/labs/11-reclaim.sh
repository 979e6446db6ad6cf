# mmbox -m 256M --disk 128M < rootfs/root/labs/11-reclaim.sh
# Lab 11: reclaim and kswapd. Explanations: docs/labs/11-reclaim.md in the mmbox repository
counters() {
  grep -E '^(pgscan_kswapd|pgsteal_kswapd|pgscan_direct|pgsteal_direct|pgsteal_file|pgsteal_anon|allocstall_movable|pageoutrun|kswapd_(low|high)_wmark_hit_quickly|pswpout) ' /proc/vmstat | tr '\n' ' ' | sed 's/ \([a-z]\)/  \1/g'
  echo
}
echo "== step 1: the watermarks of the one zone (256 MB: all lowmem, zone DMA), in pages"
grep -E '^Node 0, zone +DMA|pages free|        (boost|min|low|high) ' /proc/zoneinfo | head -6
echo "vm.min_free_kbytes = $(cat /proc/sys/vm/min_free_kbytes)   vm.watermark_scale_factor = $(cat /proc/sys/vm/watermark_scale_factor)"
echo
echo "== step 2: shrinkable kernel caches: fill the dentry and inode caches, then drop them"
ls -R /sys > /dev/null
grep -E '^(SReclaimable|MemFree)' /proc/meminfo
sync; echo 2 > /proc/sys/vm/drop_caches
grep -E '^(SReclaimable|MemFree)' /proc/meminfo
echo
echo "== step 3: the page cache: a 16 MB file on an ext2 disk, read twice"
mkfs.ext2 /dev/vda > /dev/null
mkdir -p /mnt/disk
mount -t ext2 /dev/vda /mnt/disk
dd if=/dev/zero of=/mnt/disk/data bs=1M count=16 2>/dev/null
sync
echo 1 > /proc/sys/vm/drop_caches
filelru() { grep -E '^(Cached|Active.file.|Inactive.file.)' /proc/meminfo | tr -s ' ' | tr '\n' ' '; echo; }
echo "-- after drop_caches:  $(filelru)"
cat /mnt/disk/data > /dev/null
echo "-- after one read:     $(filelru)"
cat /mnt/disk/data > /dev/null
echo "-- after a second one: $(filelru)"
echo
echo "== step 4: 200 MB with no swap: only the page cache can give memory back"
memhog 200M > /dev/null 2>&1
echo "-- after memhog:       $(filelru)"
counters
cat /mnt/disk/data > /dev/null
echo "-- the file read again comes from the disk; evicted recently, its pages are refaults:"
grep -E '^(workingset_refault_file|workingset_activate_file) ' /proc/vmstat | tr '\n' ' '
echo
echo
echo "== step 5: anonymous memory can only be reclaimed to swap: 128 MB of zram"
echo 128M > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
free
echo
echo "== step 6: a program grows to 300 MB, 10 MB every 100 ms, while vmstat samples every second"
echo "==         (one command line, so that both run at the same time)"
cat > /tmp/grow <<'END'
repeat 30 as i
  p = malloc 10M
  write p 10M 0x5a
  sleep 100ms
end
pause
END
run /tmp/grow & vmstat 1 6
echo
echo "== step 7: who reclaimed: kswapd (in the background) and direct reclaim (the allocating task)"
counters
free
grep -E 'pages free|        (boost|min|low|high) ' /proc/zoneinfo | head -5
ps | grep -E '^ *[0-9]+ root +\[kswapd'
echo
echo "== step 8: the program ends: its pages and its swap slots are freed"
kill %1
wait
free
