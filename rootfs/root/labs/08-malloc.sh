# mmbox -m 1G < rootfs/root/labs/08-malloc.sh
# Lab 08: malloc, brk and mmap. Explanations: docs/labs/08-malloc.md in the mmbox repository
echo "== step 1: the shipped example: the heap grows with brk (/usr/share/run/heap)"
run heap
echo
echo "== step 2: small blocks come from the heap, and free() trims its top"
cat > /tmp/trim <<'END'
b0 = brk
a = malloc 100K
b = malloc 100K
c = malloc 100K
write a 300K
b1 = brk
printf "3 x malloc(100K): brk %p -> %p (+%K)\n" b0 b1 b1-b0
show status VmData VmRSS
free c
b2 = brk
printf "free(c): brk %p (the free top is still under M_TRIM_THRESHOLD, 128K: kept)\n" b2
free b
b3 = brk
printf "free(b): brk %p (-%K: the top passed 128K, glibc called sbrk(-n))\n" b3 b2-b3
show status VmData VmRSS
END
run /tmp/trim
echo
echo "== step 3: big blocks get their own mapping (the mmap threshold, 128K at start)"
run mmap-threshold
echo
echo "== step 4: a big block is freed with munmap: RSS drops at once"
cat > /tmp/big <<'END'
p = malloc 8M
printf "malloc(8M) = %p\n" p
write p 8M
show status VmData VmRSS
free p
print "after free:"
show status VmData VmRSS
END
run /tmp/big
