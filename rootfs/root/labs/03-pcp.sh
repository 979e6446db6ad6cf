# mmbox -m 1G < rootfs/root/labs/03-pcp.sh
# Lab 03: per-CPU page lists. Explanations: docs/labs/03-pcp.md in the mmbox repository
# pcp ZONE: one line per CPU with count/high/batch of that zone's pageset
pcp() {
  grep -E "^Node|cpu:|count:|high:|batch:" /proc/zoneinfo | tr -s ' ' | {
    z=; c=; n=; h=
    while read a b c3 d; do
      case "$a" in
        Node) z=$d ;;
        cpu:) c=$b ;;
        count:) n=$b ;;
        high:) h=$b ;;
        batch:) [ "$z" = "$1" ] && echo "  $z cpu$c: count $n high $h batch $b" ;;
      esac
    done
  }
}
# freecheck: pages free in the buddy lists (from buddyinfo) against NR_FREE_PAGES
freecheck() {
  s=$(cat /proc/buddyinfo /proc/vmstat | grep -E "^Node|^nr_free_pages")
  echo "$s" | {
    t=0
    while read n0 n1 z zone rest; do
      if [ "$n0" = nr_free_pages ]; then
        echo "  buddy lists hold $t pages; nr_free_pages is $n1"
        continue
      fi
      o=1
      for c in $rest; do t=$((t + c * o)); o=$((o * 2)); done
    done
  }
}
echo "== step 1: every zone has one pageset per CPU: count (pages held), high, batch"
pcp DMA
pcp HighMem
echo
echo "== step 2: pages on the pcp lists are not free for the buddy allocator"
freecheck
echo
echo "== step 3: a 40 MB process comes and goes; its pages went through the pcp lists"
memhog 40M > /dev/null 2>&1
pcp HighMem
pcp DMA
echo
echo "== step 4: a bigger high mark (vm.percpu_pagelist_high_fraction=8: high = managed/8/CPUs)"
echo 8 > /proc/sys/vm/percpu_pagelist_high_fraction
memhog 40M > /dev/null 2>&1
pcp HighMem
pcp DMA
freecheck
grep MemFree /proc/meminfo
echo
echo "== step 5: back to the default (0): high is computed from the low watermark again"
echo 0 > /proc/sys/vm/percpu_pagelist_high_fraction
memhog 4M > /dev/null 2>&1
pcp HighMem
grep MemFree /proc/meminfo
