/*
 * page_writeback.ts - dirty limits (Linux mm/page-writeback.c).
 *
 * How many dirty page-cache pages the system tolerates before writers are
 * throttled (dirty_ratio) and before the flusher starts writing in the
 * background (dirty_background_ratio), as a share of "dirtyable" memory:
 * free pages beyond the reserves, plus file LRU pages, minus HighMem unless
 * highmem_is_dirtyable. /proc/vmstat shows both as nr_dirty_threshold and
 * nr_dirty_background_threshold.
 */

import type { BlockDevice } from "../block/genhd.js";
import type { Kernel } from "../kernel.js";
import { io_wait_until, now_ns, wake_up } from "../sched/core.js";
import type { Task, TaskGen } from "../sched/task.js";
import { type AddressSpace, delete_from_page_cache } from "./filemap.js";
import {
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  NR_ACTIVE_FILE,
  NR_DIRTIED,
  NR_FILE_DIRTY,
  NR_FREE_PAGES,
  NR_INACTIVE_FILE,
  NR_WRITEBACK,
  NR_WRITTEN,
  NR_ZONE_ACTIVE_FILE,
  NR_ZONE_INACTIVE_FILE,
  NR_ZONE_WRITE_PENDING,
  type Zone,
} from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import {
  PG_active,
  PG_anon,
  PG_dirty,
  PG_head,
  PG_locked,
  PG_lru,
  PG_reclaim,
  PG_swapbacked,
  PG_swapcache,
  PG_unevictable,
  PG_writeback,
} from "./page_flags.js";
import { global_node_page_state, global_zone_page_state } from "./show_mem.js";
import { folio_rotate_reclaimable } from "./swap.js";
import { PGROTATED } from "./vm_event_item.js";

const PAGE_SIZE = 4096;

function highmem_dirtyable_memory(k: Kernel, total: number): number {
  let x = 0;
  for (const z of k.zones) {
    if (z.zone_idx !== k.zt.ZONE_HIGHMEM || !z.populated_zone()) continue;
    let nr = z.zone_page_state(NR_FREE_PAGES);
    nr -= Math.min(nr, z.high_wmark_pages());
    nr += z.zone_page_state(NR_ZONE_INACTIVE_FILE) + z.zone_page_state(NR_ZONE_ACTIVE_FILE);
    x += nr;
  }
  return Math.min(x, total);
}

/** global_dirtyable_memory: the pages dirty limits are a share of. */
export function global_dirtyable_memory(k: Kernel): number {
  let x = global_zone_page_state(k, NR_FREE_PAGES);
  x -= Math.min(x, k.totalreserve_pages);
  x += global_node_page_state(k, NR_INACTIVE_FILE) + global_node_page_state(k, NR_ACTIVE_FILE);
  if (!k.sysctl_vm.highmem_is_dirtyable) x -= highmem_dirtyable_memory(k, x);
  return x + 1;
}

/** global_dirty_limits: [background threshold, threshold] in pages. */
export function global_dirty_limits(k: Kernel): [number, number] {
  const s = k.sysctl_vm;
  const available = global_dirtyable_memory(k);
  const ratio = Math.floor((s.dirty_ratio * PAGE_SIZE) / 100);
  const bg_ratio = Math.floor((s.dirty_background_ratio * PAGE_SIZE) / 100);
  const thresh = s.dirty_bytes
    ? Math.ceil(s.dirty_bytes / PAGE_SIZE)
    : Math.floor((ratio * available) / PAGE_SIZE);
  let bg = s.dirty_background_bytes
    ? Math.ceil(s.dirty_background_bytes / PAGE_SIZE)
    : Math.floor((bg_ratio * available) / PAGE_SIZE);
  if (bg >= thresh) bg = Math.floor(thresh / 2);
  return [bg, thresh];
}

/* ---- dirty pages, writeback and the flusher ----
 *
 * A page-cache page written through write(2) becomes dirty (PG_dirty,
 * NR_FILE_DIRTY, and NR_ZONE_WRITE_PENDING of its zone); its inode
 * remembers when it first got dirty (dirtied_when). Writeback takes a dirty
 * page, clears PG_dirty and sets PG_writeback (NR_WRITEBACK) and submits it
 * through the mapping's writepage; when the device finishes the request the
 * page is clean (end_page_writeback, nr_written). Writers are throttled when
 * dirty + writeback pages pass the dirty threshold (balance_dirty_pages);
 * past the background threshold, or when an inode has been dirty for
 * dirty_expire_centisecs, the flusher (wb_workfn, on the writeback
 * workqueue's thread) writes pages back; it also looks every
 * dirty_writeback_centisecs while anything is dirty.
 *
 * Requests complete in simulated time: the pages in flight are kept with
 * their completion times and finished whenever someone looks (the flusher,
 * /proc/meminfo and /proc/vmstat, reclaim, sync), so Writeback shows what
 * the disk still has to do at that moment.
 *
 * Swap-outs to a disk are in flight the same way (swap_writepage's bio
 * completes later, end_swap_bio_write): the swap-cache page stays in memory
 * under writeback until then. A page reclaim asked for (PG_reclaim) goes to
 * the tail of its inactive list when its write completes
 * (folio_rotate_reclaimable), for the next scan to free it.
 */

/**
 * The pages under writeback and when their requests complete, oldest
 * first: a queue of two typed arrays (a swap-out puts every page reclaim
 * frees through here, and an object per page would be garbage).
 */
export class WbQueue {
  pfns = new Int32Array(256);
  dones = new Float64Array(256);
  head = 0;
  tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** The pfn and completion time of the i-th oldest request. */
  pfn_at(i: number): number {
    return this.pfns[this.head + i];
  }
  done_at(i: number): number {
    return this.dones[this.head + i];
  }

  /** A request completing at done, after those completing no later (two disks' requests interleave). */
  push(pfn: number, done: number): void {
    if (this.tail === this.pfns.length) this.make_room();
    let at = this.tail;
    while (at > this.head && this.dones[at - 1] > done) {
      this.pfns[at] = this.pfns[at - 1];
      this.dones[at] = this.dones[at - 1];
      at--;
    }
    this.pfns[at] = pfn;
    this.dones[at] = done;
    this.tail++;
  }

  /** Drops the n oldest requests. */
  drop(n: number): void {
    this.head += n;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Takes pfn's request out of the queue; its completion time, or -1 if it has none. */
  remove(pfn: number): number {
    for (let i = this.head; i < this.tail; i++) {
      if (this.pfns[i] !== pfn) continue;
      const done = this.dones[i];
      this.pfns.copyWithin(i, i + 1, this.tail);
      this.dones.copyWithin(i, i + 1, this.tail);
      this.tail--;
      if (this.head === this.tail) this.head = this.tail = 0;
      return done;
    }
    return -1;
  }

  private make_room(): void {
    const n = this.tail - this.head;
    if (n * 2 > this.pfns.length) {
      const pfns = new Int32Array(this.pfns.length * 2);
      const dones = new Float64Array(this.pfns.length * 2);
      pfns.set(this.pfns.subarray(this.head, this.tail));
      dones.set(this.dones.subarray(this.head, this.tail));
      this.pfns = pfns;
      this.dones = dones;
    } else {
      this.pfns.copyWithin(0, this.head, this.tail);
      this.dones.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = n;
  }
}

/**
 * Writeback state of a machine (one bdi_writeback in Linux terms), the
 * kernel's k.wb. A class, not an object literal: V8 makes a literal's
 * boilerplate the second time it runs (the second machine of a process),
 * which generalized the fields' types and deoptimized writeback_complete in
 * reclaim; and a field of the kernel, not a WeakMap entry made at first use.
 */
export class WbState {
  /** Pages under writeback and when their requests complete, in completion order. */
  inflight = new WbQueue();
  /** Mappings with dirty pages, oldest first. */
  dirty = new Set<AddressSpace>();
}

function wb_of(k: Kernel): WbState {
  return k.wb;
}

/** Pages a flusher pass writes before it looks at the limits again (MAX_WRITEBACK_PAGES). */
const MAX_WRITEBACK_PAGES = 1024;

/** folio_mark_dirty + folio_account_dirtied: a page-cache page of m got new data. */
export function set_page_dirty(k: Kernel, m: AddressSpace, pfn: number): void {
  const mem = k.mem;
  if (mem.flags[pfn] & PG_dirty) return;
  mem.flags[pfn] |= PG_dirty;
  const zone = page_zone(k, pfn);
  const pgdat = k.nodes[zone.node];
  pgdat.vm_stat[NR_FILE_DIRTY]++;
  pgdat.vm_stat[NR_DIRTIED]++;
  zone.vm_stat[NR_ZONE_WRITE_PENDING]++;
  m.nrdirty++;
  if (!m.dirtied_when) m.dirtied_when = k.clock.ns || 1;
  wb_of(k).dirty.add(m);
}

/**
 * folio_mark_dirty for a page found dirty through a page table (a write
 * fault on a shared file mapping, a dirty pte at unmap): a page of a
 * written-back file is accounted dirty as write(2) would have it; any other
 * (tmpfs) only gets the flag.
 */
export function folio_mark_dirty(k: Kernel, pfn: number): void {
  const m = k.mappings[k.mem.getMapping(pfn)];
  if (m?.writepages && !m.shmem && m.pages.get(k.mem.getIndex(pfn)) === pfn) set_page_dirty(k, m, pfn);
  else k.mem.flags[pfn] |= PG_dirty;
}

/** clear_page_dirty_for_io + folio_start_writeback: the page goes to the device. */
function start_page_writeback(k: Kernel, m: AddressSpace, pfn: number): void {
  // folio_clear_dirty_for_io: the dirty page stops counting as such (its write stays pending).
  const zone = page_zone(k, pfn);
  k.nodes[zone.node].vm_stat[NR_FILE_DIRTY]--;
  zone.vm_stat[NR_ZONE_WRITE_PENDING]--;
  folio_start_writeback(k, pfn);
  if (--m.nrdirty === 0) {
    m.dirtied_when = 0;
    wb_of(k).dirty.delete(m);
  }
}

/** __folio_start_writeback: the page goes to the device (a page-cache page's dirty count went already), its write pending. */
function folio_start_writeback(k: Kernel, pfn: number): void {
  const mem = k.mem;
  mem.flags[pfn] = (mem.flags[pfn] & ~PG_dirty) | PG_writeback;
  const zone = page_zone(k, pfn);
  k.nodes[zone.node].vm_stat[NR_WRITEBACK]++;
  zone.vm_stat[NR_ZONE_WRITE_PENDING]++;
}

/**
 * folio_end_writeback: the device has the page; it is clean now. A page
 * reclaim wanted goes to the tail of its inactive list.
 */
function end_page_writeback(k: Kernel, pfn: number): void {
  const mem = k.mem;
  const f = mem.flags[pfn];
  mem.flags[pfn] = f & ~(PG_writeback | PG_reclaim);
  const zone = page_zone(k, pfn);
  const pgdat = k.nodes[zone.node];
  pgdat.vm_stat[NR_WRITEBACK]--;
  pgdat.vm_stat[NR_WRITTEN]++;
  zone.vm_stat[NR_ZONE_WRITE_PENDING]--;
  if (f & PG_reclaim) folio_rotate_reclaimable(k, pfn);
}

/**
 * A swap-out to a device that completes later (swap_writepage on a disk):
 * the page is under writeback until its request (account_io's last) is done. A synchronous device (zram) is
 * done at once: the page is written (nr_written) and was never in flight.
 */
export function swap_writepage_started(k: Kernel, pfn: number, bd: BlockDevice): void {
  if (bd.ops.synchronous === true) {
    k.nodes[page_zone(k, pfn).node].vm_stat[NR_WRITTEN]++;
    return;
  }
  folio_start_writeback(k, pfn);
  // (The completion time is read here, not passed: a double argument is a new heap number per page.)
  k.wb.inflight.push(pfn, bd.last_done);
}

/**
 * Completes the requests the devices have finished by now: end_page_writeback
 * for each page in turn, with the counts of a run of pages of one zone
 * changed once (nothing the completions do in between reads them).
 * folio_rotate_reclaimable's commonest case - a small page reclaim wanted,
 * on its inactive list, neither locked, dirty nor unevictable - is done in
 * line: the page moves to its list's tail (no list changes size), and the
 * pgrotated count is added up and stored at the end.
 */
export function writeback_complete(k: Kernel): void {
  const q = wb_of(k).inflight;
  if (q.tail === q.head) return;
  const now = now_ns(k);
  const flags = k.mem.flags;
  const links = k.mem.links;
  const lw = links.lru;
  let zone: Zone | null = null;
  let lists: Int32Array | null = null;
  let nr = 0;
  let n = 0;
  let rotated = 0;
  while (n < q.length && q.done_at(n) <= now) {
    const pfn = q.pfn_at(n++);
    const z = page_zone(k, pfn);
    if (z !== zone) {
      if (zone !== null) end_writeback_counts(k, zone, nr);
      zone = z;
      lists = k.nodes[z.node].lru_lists;
      nr = 0;
    }
    nr++;
    // folio_end_writeback_flags, and folio_rotate_reclaimable's common case written out.
    const f = flags[pfn];
    const g = f & ~(PG_writeback | PG_reclaim);
    flags[pfn] = g;
    if ((f & PG_reclaim) !== 0) {
      if ((g & (PG_locked | PG_dirty | PG_unevictable | PG_lru | PG_active | PG_head)) === PG_lru) {
        // list_move_tail onto its inactive list (page_lru_of).
        const head = lists![(g & PG_swapbacked) !== 0 ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE];
        const nx = lw[pfn << 1];
        const pv = lw[(pfn << 1) + 1];
        lw[pv << 1] = nx;
        lw[(nx << 1) + 1] = pv;
        const last = lw[(head << 1) + 1];
        lw[pfn << 1] = head;
        lw[(pfn << 1) + 1] = last;
        lw[last << 1] = pfn;
        lw[(head << 1) + 1] = pfn;
        rotated++;
      } else folio_rotate_reclaimable(k, pfn);
    }
    // drop_after_writeback, for a page-cache page (its counts are done first).
    if ((flags[pfn] & (PG_anon | PG_swapcache | PG_dirty)) === 0) {
      end_writeback_counts(k, z, nr);
      nr = 0;
      drop_after_writeback(k, pfn);
    }
  }
  if (zone !== null && nr !== 0) end_writeback_counts(k, zone, nr);
  if (rotated !== 0) k.vm_events[PGROTATED] += rotated;
  if (n !== 0) q.drop(n);
}

/** end_page_writeback's counts, for nr pages of zone. */
function end_writeback_counts(k: Kernel, zone: Zone, nr: number): void {
  const pgdat = k.nodes[zone.node];
  pgdat.vm_stat[NR_WRITEBACK] -= nr;
  pgdat.vm_stat[NR_WRITTEN] += nr;
  zone.vm_stat[NR_ZONE_WRITE_PENDING] -= nr;
}

/** A page-cache page whose file was truncated while it was written goes now (a swap-cache page stays). */
function drop_after_writeback(k: Kernel, pfn: number): void {
  const mem = k.mem;
  if (mem.flags[pfn] & (PG_anon | PG_swapcache | PG_dirty)) return;
  const m = k.mappings[mem.getMapping(pfn)];
  if (m?.drop_after_writeback && mem.page_ref_count(pfn) === 1)
    delete_from_page_cache(k, m, mem.getIndex(pfn));
}

/**
 * folio_wait_writeback: the caller needs the page out of flight (swapoff,
 * a tmpfs swap-in): it waits for the request, which completes now.
 */
export function folio_wait_writeback(k: Kernel, pfn: number): void {
  if (!(k.mem.flags[pfn] & PG_writeback)) return;
  const done = wb_of(k).inflight.remove(pfn);
  if (done > now_ns(k)) io_wait_until(k, done);
  end_page_writeback(k, pfn);
}

/** The time the last page in flight completes (now if none). */
function writeback_done_at(k: Kernel): number {
  const q = wb_of(k).inflight;
  return q.length ? q.done_at(q.length - 1) : now_ns(k);
}

/**
 * write_cache_pages for one mapping: up to max dirty pages, in index order,
 * go to the device (each contiguous run is one request). Returns pages written.
 */
export function write_cache_pages(k: Kernel, m: AddressSpace, max: number, sync = false): number {
  if (!m.nrdirty || !m.writepages) return 0;
  const mem = k.mem;
  const run: [number, number][] = [];
  for (const [index, pfn] of [...m.pages].sort((a, b) => a[0] - b[0])) {
    if (run.length >= max) break;
    if (!(mem.flags[pfn] & PG_dirty)) continue;
    // Dirtied again while its last write is in flight: background writeback leaves it for
    // later (WB_SYNC_NONE); sync waits for that write first (WB_SYNC_ALL).
    if (mem.flags[pfn] & PG_writeback) {
      if (!sync) continue;
      folio_wait_writeback(k, pfn);
    }
    run.push([index, pfn]);
  }
  for (const [, pfn] of run) start_page_writeback(k, m, pfn);
  const done = m.writepages(k, run);
  const q = wb_of(k).inflight;
  for (let i = 0; i < run.length; i++) q.push(run[i][1], done[i]);
  return run.length;
}

/** Dirty and under-writeback pages of the whole machine. */
function nr_dirty_writeback(k: Kernel): { dirty: number; writeback: number } {
  let dirty = 0;
  let writeback = 0;
  for (const pgdat of k.nodes) {
    dirty += pgdat.vm_stat[NR_FILE_DIRTY];
    writeback += pgdat.vm_stat[NR_WRITEBACK];
  }
  return { dirty, writeback };
}

/** wakeup_flusher_threads / wb_start_background_writeback: the flusher has work. */
export function wakeup_flusher(k: Kernel): void {
  const wq = k.kthread_wq.get("writeback");
  if (wq) wake_up(k, wq);
}

/**
 * balance_dirty_pages, after a writer dirtied pages: past the background
 * threshold the flusher starts; past the dirty threshold the writer sleeps
 * until enough pages in flight complete to bring dirty + writeback under it.
 */
export function balance_dirty_pages(k: Kernel, m: AddressSpace): void {
  writeback_complete(k);
  const [bg, thresh] = global_dirty_limits(k);
  const { dirty, writeback } = nr_dirty_writeback(k);
  if (dirty > bg) wakeup_flusher(k);
  if (dirty + writeback <= thresh) return;
  // The writer helps (as the flusher would) and then waits for the disk.
  if (writeback < dirty) write_cache_pages(k, m, Math.min(m.nrdirty, dirty + writeback - thresh));
  const q = wb_of(k).inflight;
  const over = dirty + writeback - thresh;
  if (q.length) io_wait_until(k, q.done_at(Math.min(q.length, over) - 1));
}

/** sync(2) and syncfs: write every dirty page back and wait until the devices have them. */
export function sync_all(k: Kernel): void {
  writeback_complete(k);
  // The files first; what their writeback dirtied (the block devices' metadata pages) after
  // them, as sync's iterate_bdevs pass does.
  const wb = wb_of(k);
  for (let pass = 0; pass < 4 && wb.dirty.size; pass++)
    for (const m of [...wb.dirty]) write_cache_pages(k, m, m.nrdirty, true);
  io_wait_until(k, writeback_done_at(k));
}

/** fsync of one file (or a block device): its dirty pages written, and waited for. */
export function fsync_mapping(k: Kernel, m: AddressSpace): void {
  writeback_complete(k);
  write_cache_pages(k, m, m.nrdirty, true);
  const q = wb_of(k).inflight;
  let done = 0;
  for (let i = 0; i < q.length; i++) {
    const pfn = q.pfn_at(i);
    if (
      !(k.mem.flags[pfn] & (PG_anon | PG_swapcache)) &&
      k.mem.getMapping(pfn) === m.id &&
      q.done_at(i) > done
    )
      done = q.done_at(i);
  }
  if (done) io_wait_until(k, done);
}

/**
 * The flusher (wb_workfn): background writeback while dirty pages exceed
 * the background threshold, then the periodic (kupdate) writeback of inodes
 * dirty for longer than dirty_expire_centisecs; it sleeps until woken or
 * until the next dirty_writeback_centisecs interval while pages are dirty.
 */
export function* wb_workfn(k: Kernel, _t: Task): TaskGen {
  const wq = k.kthread_wq.get("writeback")!;
  for (;;) {
    const s = k.sysctl_vm;
    const wb = wb_of(k);
    const interval = s.dirty_writeback_centisecs * 10_000_000;
    const periodic = wb.dirty.size > 0 && interval > 0;
    yield { nr: "__kwait", wq, until: periodic ? k.clock.ns + interval : 0 };
    writeback_complete(k);
    // Background writeback: oldest inodes first, a chunk at a time.
    for (;;) {
      const [bg] = global_dirty_limits(k);
      if (nr_dirty_writeback(k).dirty <= bg || !wb.dirty.size) break;
      const m = wb.dirty.values().next().value as AddressSpace;
      write_cache_pages(k, m, MAX_WRITEBACK_PAGES);
      yield { nr: "__kyield" };
      writeback_complete(k);
    }
    // kupdate: inodes dirty for too long.
    const expire = s.dirty_expire_centisecs * 10_000_000;
    for (const m of [...wb.dirty])
      if (k.clock.ns - m.dirtied_when >= expire) write_cache_pages(k, m, m.nrdirty);
  }
}
