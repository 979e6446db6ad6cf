# mmbox -m 512M --disk 1G < scripts/swap-pressure.sh
#
# Memory pressure with swap: a 512 MiB machine, 1 GiB of swap on the virtio
# disk /dev/vda, and memhog asking for 1 GiB - twice the RAM. free and
# vmstat before, during (memhog runs in the background while vmstat samples
# every second: watch free fall, then so and bo as kswapd and direct
# reclaim push anonymous pages out, and si/bi as memhog's second pass reads
# them back) and after (the swap slots are free again, but for the few tmpfs
# pages of the root filesystem that went to swap too).
echo "== before: 512 MiB of RAM, no swap yet"
free -m
mkswap /dev/vda
swapon /dev/vda
cat /proc/swaps
vmstat
echo "== during: memhog -r2 1G (two passes over 1 GiB) in the background, vmstat every second"
memhog -r2 1G > /dev/null &
vmstat 1 4
free -m
grep -E '^(pswpin|pswpout|pgscan_kswapd|pgscan_direct|pgsteal_kswapd|pgsteal_direct|allocstall_(normal|movable)|workingset_refault_anon) ' /proc/vmstat
wait
echo "== after: memhog is gone, its swap slots with it"
free -m
vmstat
swapoff /dev/vda
cat /proc/swaps
