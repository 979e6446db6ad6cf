/*
 * malloc.ts - a model of glibc's ptmalloc, as far as the kernel can see it
 * (glibc malloc/malloc.c: sysmalloc, systrim, the mmap threshold).
 *
 * Small requests come from the heap, which grows with brk: when the top
 * chunk is too small, malloc asks for what it needs plus M_TOP_PAD (128 KiB)
 * more, so a program's heap grows in large steps. Requests of at least the
 * mmap threshold (128 KiB at first) get a mapping of their own, returned to
 * the kernel by free(). Freeing such a chunk raises the threshold to its size
 * (glibc's dynamic threshold, up to 32 MiB on 64-bit): the next allocation
 * of that size comes from the heap instead. When the free space at the top
 * of the heap passes the trim threshold (128 KiB, then twice the mmap
 * threshold), free() gives it back with a negative sbrk, keeping M_TOP_PAD.
 *
 * Every allocation writes its chunk header (a store into the page holding
 * it), so a fresh heap page is faulted in the moment malloc uses it.
 * Freed heap chunks are kept on an address-ordered free list and merged
 * with free neighbours; a later malloc takes the first that fits.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import {
  brk,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MREMAP_MAYMOVE,
  mmap,
  mremap,
  munmap,
  PROT_READ,
  PROT_WRITE,
  touch,
} from "./mman.js";

const PAGE = 4096;
const MiB = 1024 * 1024;

interface Chunk {
  size: number;
  mmapped: boolean;
}

export interface MallocStats {
  /** Bytes the heap has from brk (arena). */
  arena: number;
  /** Bytes in mmapped chunks (hblkhd) and how many (hblks). */
  hblkhd: number;
  hblks: number;
  /** Bytes in use from the heap (uordblks) and free in it (fordblks). */
  uordblks: number;
  fordblks: number;
}

export class Malloc {
  /** SIZE_SZ: the size of a chunk's size field. */
  private readonly szsz: number;
  private heap_start = -1;
  /** First byte of the top chunk, and the current break. */
  private top = 0;
  private brk_end = 0;
  /** In-use chunks by their user pointer. */
  private chunks = new Map<number, Chunk>();
  /** Free heap chunks, [addr, size] by address. */
  private free_list: [number, number][] = [];
  mmap_threshold = 128 * 1024;
  trim_threshold = 128 * 1024;
  top_pad = 128 * 1024;
  private dynamic = true;
  private readonly threshold_max: number;

  constructor(pointerBytes: 4 | 8) {
    this.szsz = pointerBytes;
    this.threshold_max = 4 * MiB * pointerBytes;
  }

  /** The arena as a forked child has it: a copy of the parent's, which goes its own way. */
  fork_copy(): Malloc {
    const m = Object.assign(Object.create(Malloc.prototype) as Malloc, this);
    m.chunks = new Map([...this.chunks].map(([p, c]) => [p, { ...c }]));
    m.free_list = this.free_list.map(([a, n]) => [a, n] as [number, number]);
    return m;
  }

  /** The chunk size serving a request of n bytes (request2size). */
  private request2size(n: number): number {
    const align = 2 * this.szsz;
    const min = 4 * this.szsz;
    return Math.max(min, Math.ceil((n + this.szsz) / align) * align);
  }

  /** mallopt(M_MMAP_THRESHOLD / M_TRIM_THRESHOLD / M_TOP_PAD): fixes them (no more dynamic threshold). */
  mallopt(param: "mmap_threshold" | "trim_threshold" | "top_pad", value: number): void {
    this[param] = value;
    this.dynamic = false;
  }

  stats(): MallocStats {
    let hblkhd = 0;
    let hblks = 0;
    let used = 0;
    for (const c of this.chunks.values()) {
      if (c.mmapped) {
        hblkhd += c.size;
        hblks++;
      } else used += c.size;
    }
    const arena = this.heap_start < 0 ? 0 : this.brk_end - this.heap_start;
    return { arena, hblkhd, hblks, uordblks: used, fordblks: arena - used };
  }

  /** malloc(n): the user pointer, or 0 when memory could not be had (ENOMEM). */
  *malloc(n: number): UserGen<number> {
    const nb = this.request2size(n);
    if (nb >= this.mmap_threshold) {
      const p = yield* this.mmap_chunk(nb);
      if (p) return p;
    }
    // First fit among the freed chunks.
    for (let i = 0; i < this.free_list.length; i++) {
      const [addr, size] = this.free_list[i];
      if (size < nb) continue;
      if (size - nb >= 4 * this.szsz) this.free_list[i] = [addr + nb, size - nb];
      else this.free_list.splice(i, 1);
      return yield* this.use(addr, size - nb >= 4 * this.szsz ? nb : size);
    }
    if (!(yield* this.grow_top(nb))) {
      // sysmalloc's fallback when brk fails: a mapping of its own.
      return yield* this.mmap_chunk(nb);
    }
    const addr = this.top;
    this.top += nb;
    return yield* this.use(addr, nb);
  }

  private *use(chunk: number, size: number): UserGen<number> {
    const p = chunk + 2 * this.szsz;
    this.chunks.set(p, { size, mmapped: false });
    yield* touch(chunk, 2 * this.szsz, { write: true });
    return p;
  }

  private *mmap_chunk(nb: number): UserGen<number> {
    const size = Math.ceil((nb + this.szsz) / PAGE) * PAGE;
    const a = yield* mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (a < 0) return 0;
    const p = a + 2 * this.szsz;
    this.chunks.set(p, { size, mmapped: true });
    yield* touch(a, 2 * this.szsz, { write: true });
    return p;
  }

  /** sysmalloc: make the top chunk at least nb bytes. */
  private *grow_top(nb: number): UserGen<boolean> {
    if (this.heap_start < 0) {
      const cur = yield* brk(0);
      this.heap_start = this.top = this.brk_end = cur;
    }
    if (this.brk_end - this.top >= nb) return true;
    const want = Math.ceil((this.top + nb + this.top_pad) / PAGE) * PAGE;
    const got = yield* brk(want);
    if (got < want) return false;
    this.brk_end = got;
    return true;
  }

  /** free(p); a pointer malloc did not return is ignored (glibc would abort). */
  *free(p: number): UserGen<void> {
    const c = this.chunks.get(p);
    if (!c || p === 0) return;
    this.chunks.delete(p);
    if (c.mmapped) {
      yield* munmap(p - 2 * this.szsz, c.size);
      if (this.dynamic && c.size > this.mmap_threshold && c.size <= this.threshold_max) {
        this.mmap_threshold = c.size;
        this.trim_threshold = 2 * c.size;
      }
      return;
    }
    let addr = p - 2 * this.szsz;
    let size = c.size;
    // Coalesce with free neighbours, then with top.
    const list = this.free_list;
    let i = 0;
    while (i < list.length && list[i][0] < addr) i++;
    if (i > 0 && list[i - 1][0] + list[i - 1][1] === addr) {
      i--;
      addr = list[i][0];
      size += list[i][1];
      list.splice(i, 1);
    }
    if (i < list.length && addr + size === list[i][0]) {
      size += list[i][1];
      list.splice(i, 1);
    }
    if (addr + size === this.top) this.top = addr;
    else list.splice(i, 0, [addr, size]);
    // Chunks freed at the top of the heap may make it long enough to trim.
    while (list.length && list[list.length - 1][0] + list[list.length - 1][1] === this.top) {
      const last = list.pop()!;
      this.top = last[0];
    }
    if (this.brk_end - this.top >= this.trim_threshold) yield* this.systrim();
  }

  /** systrim: give back the top of the heap beyond top_pad, in whole pages. */
  private *systrim(): UserGen<void> {
    const keep = Math.ceil((this.top + this.top_pad) / PAGE) * PAGE;
    if (keep >= this.brk_end) return;
    const got = yield* brk(keep);
    if (got === keep) this.brk_end = keep;
  }

  /**
   * realloc: a mapped chunk is resized with mremap (the pages move, nothing
   * is copied); a heap chunk grows in place into the top chunk when it is
   * the last one, else a new chunk is taken, the old bytes copied, the old
   * chunk freed.
   */
  *realloc(p: number, n: number): UserGen<number> {
    if (!p) return yield* this.malloc(n);
    const c = this.chunks.get(p);
    if (!c) return 0;
    const nb = this.request2size(n);
    if (c.mmapped) {
      const size = Math.ceil((nb + this.szsz) / PAGE) * PAGE;
      if (size === c.size) return p;
      const a = yield* mremap(p - 2 * this.szsz, c.size, size, MREMAP_MAYMOVE);
      if (a >= 0) {
        this.chunks.delete(p);
        this.chunks.set(a + 2 * this.szsz, { size, mmapped: true });
        return a + 2 * this.szsz;
      }
    } else {
      const chunk = p - 2 * this.szsz;
      if (nb <= c.size) return p;
      if (chunk + c.size === this.top && (yield* this.grow_top(nb - c.size))) {
        this.top += nb - c.size;
        c.size = nb;
        return p;
      }
    }
    const q = yield* this.malloc(n);
    if (!q) return 0;
    const keep = Math.min(c.size, nb) - 2 * this.szsz;
    if (keep > 0) {
      yield* touch(p, keep);
      yield* touch(q, keep, { write: true });
    }
    yield* this.free(p);
    return q;
  }

  /** The usable size of an allocation (malloc_usable_size), 0 for unknown pointers. */
  usable(p: number): number {
    const c = this.chunks.get(p);
    return c ? c.size - (c.mmapped ? 2 * this.szsz : this.szsz) : 0;
  }

  /** A copy for the child of fork(): the same heap at the same addresses. */
  clone(): Malloc {
    const m = new Malloc(this.szsz as 4 | 8);
    Object.assign(m, this, {
      chunks: new Map(this.chunks),
      free_list: this.free_list.map((e) => [...e] as [number, number]),
    });
    return m;
  }
}
