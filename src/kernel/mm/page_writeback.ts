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

import type { Kernel } from "../kernel.js";
import { object_array } from "../lib/shapes.js";
import { io_wait_until, now_ns, wake_up } from "../sched/core.js";
import type { Task, TaskGen } from "../sched/task.js";
import { type AddressSpace, delete_from_page_cache } from "./filemap.js";
import { PG_dirty, PG_reclaim, PG_writeback } from "./mm_types.js";
import {
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
} from "./mmzone.js";
import { page_zone } from "./page_alloc.js";
import { global_node_page_state, global_zone_page_state } from "./show_mem.js";

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
 */

/** A page under writeback and when its request completes. */
class WbRequest {
  constructor(
    readonly pfn: number,
    readonly done: number,
  ) {}
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
  inflight: WbRequest[] = object_array();
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
  const mem = k.mem;
  mem.flags[pfn] = (mem.flags[pfn] & ~PG_dirty) | PG_writeback;
  const pgdat = k.nodes[page_zone(k, pfn).node];
  pgdat.vm_stat[NR_FILE_DIRTY]--;
  pgdat.vm_stat[NR_WRITEBACK]++;
  if (--m.nrdirty === 0) {
    m.dirtied_when = 0;
    wb_of(k).dirty.delete(m);
  }
}

/** folio_end_writeback: the device has the page; it is clean now. */
function end_page_writeback(k: Kernel, pfn: number): void {
  const mem = k.mem;
  mem.flags[pfn] &= ~(PG_writeback | PG_reclaim);
  const zone = page_zone(k, pfn);
  const pgdat = k.nodes[zone.node];
  pgdat.vm_stat[NR_WRITEBACK]--;
  pgdat.vm_stat[NR_WRITTEN]++;
  zone.vm_stat[NR_ZONE_WRITE_PENDING]--;
}

/** Completes the requests the devices have finished by now. */
export function writeback_complete(k: Kernel): void {
  const q = wb_of(k).inflight;
  if (!q.length) return;
  const now = now_ns(k);
  let n = 0;
  while (n < q.length && q[n].done <= now) {
    const pfn = q[n++].pfn;
    end_page_writeback(k, pfn);
    const m = k.mappings[k.mem.getMapping(pfn)];
    if (m?.drop_after_writeback && !(k.mem.flags[pfn] & PG_dirty) && k.mem.page_ref_count(pfn) === 1)
      delete_from_page_cache(k, m, k.mem.getIndex(pfn));
  }
  if (n) q.splice(0, n);
}

/** The time the last page in flight completes (now if none). */
function writeback_done_at(k: Kernel): number {
  const q = wb_of(k).inflight;
  return q.length ? q[q.length - 1].done : now_ns(k);
}

/**
 * write_cache_pages for one mapping: up to max dirty pages, in index order,
 * go to the device (each contiguous run is one request). Returns pages written.
 */
export function write_cache_pages(k: Kernel, m: AddressSpace, max: number): number {
  if (!m.nrdirty || !m.writepages) return 0;
  const mem = k.mem;
  const run: [number, number][] = [];
  for (const [index, pfn] of [...m.pages].sort((a, b) => a[0] - b[0])) {
    if (run.length >= max) break;
    if (mem.flags[pfn] & PG_dirty) run.push([index, pfn]);
  }
  for (const [, pfn] of run) start_page_writeback(k, m, pfn);
  const done = m.writepages(k, run);
  const q = wb_of(k).inflight;
  for (let i = 0; i < run.length; i++) {
    const e = new WbRequest(run[i][1], done[i]);
    let at = q.length;
    while (at > 0 && q[at - 1].done > e.done) at--;
    q.splice(at, 0, e);
  }
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
  if (q.length) io_wait_until(k, q[Math.min(q.length, over) - 1].done);
}

/** sync(2) and syncfs: write every dirty page back and wait until the devices have them. */
export function sync_all(k: Kernel): void {
  writeback_complete(k);
  for (const m of [...wb_of(k).dirty]) write_cache_pages(k, m, m.nrdirty);
  io_wait_until(k, writeback_done_at(k));
}

/** fsync of one file (or a block device): its dirty pages written, and waited for. */
export function fsync_mapping(k: Kernel, m: AddressSpace): void {
  writeback_complete(k);
  write_cache_pages(k, m, m.nrdirty);
  let done = 0;
  for (const e of wb_of(k).inflight) if (k.mem.getMapping(e.pfn) === m.id && e.done > done) done = e.done;
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
