/*
 * kcompactd.ts - the per-node compaction kthread, and where compaction
 * plugs into the kernel at boot (Linux mm/compaction.c kcompactd,
 * wakeup_kcompactd, kcompactd_do_work).
 *
 * kcompactd sleeps until a high-order allocation could not be served from
 * the free lists and woke kswapd for it. It then compacts, zone by zone up
 * to the allocation's highest zone, with the same scanners as direct
 * compaction (compaction.ts) in MIGRATE_SYNC_LIGHT mode, so that the next
 * such allocation finds its block without stalling. It counts
 * compact_daemon_wake and its own scanned pages. It also compacts
 * proactively when the node's fragmentation score is above the mark
 * vm.compaction_proactiveness sets (6.1's proactive compaction;
 * proactiveness 0 turns it off).
 *
 * Simplified compared to Linux: Linux's kswapd wakes kcompactd when it goes
 * to sleep after balancing the node for a high-order request (and
 * wakeup_kswapd wakes it directly when the node is balanced already). Here
 * the wakeup comes with the kswapd wakeup of a high-order request, and
 * kcompactd_node_suitable keeps it asleep while order-0 memory is short
 * (then kswapd has reclaiming to do first).
 */

import type { Kernel } from "../kernel.js";
import { wake_up } from "../sched/core.js";
import { psi_memstall_enter, psi_memstall_leave } from "../sched/psi.js";
import type { Task, TaskGen } from "../sched/task.js";
import {
  COMPACT_COMPLETE,
  COMPACT_CONTINUE,
  COMPACT_PARTIAL_SKIPPED,
  COMPACT_SUCCESS,
  compact_nodes,
  compact_zone,
  compaction_defer_reset,
  compaction_deferred,
  compaction_suitable,
  defer_compaction,
  fragmentation_score_node,
  fragmentation_score_wmark,
  kswapd_is_running,
  new_compact_control,
  reset_isolation_suitable,
  try_to_compact_pages,
} from "./compaction.js";
import { extfrag_debugfs_entry } from "./extfrag.js";
import { GFP_KERNEL } from "./gfp.js";
import { MIGRATE_SYNC_LIGHT } from "./migrate.js";
import type { Zone } from "./mmzone.js";
import { drain_all_pages } from "./page_alloc.js";
import { KCOMPACTD_FREE_SCANNED, KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_WAKE } from "./vm_event_item.js";
import { wakeup_kswapd } from "./vmscan.js";

/** kcompactd_node_suitable: some zone of the node could gain from compacting at kcompactd_max_order. */
function kcompactd_node_suitable(k: Kernel, nid: number): boolean {
  const pgdat = k.nodes[nid];
  for (const zone of pgdat.node_zones) {
    if (zone.zone_idx > pgdat.kcompactd_highest_zoneidx || !zone.populated_zone()) continue;
    if (compaction_suitable(k, zone, pgdat.kcompactd_max_order, 0, zone.zone_idx) === COMPACT_CONTINUE)
      return true;
  }
  return false;
}

/** wakeup_kcompactd: a high-order request went short on node nid. */
export function wakeup_kcompactd(k: Kernel, nid: number, order: number, highest_zoneidx: number): void {
  if (!order) return;
  const pgdat = k.nodes[nid];
  if (pgdat.kcompactd_max_order < order) pgdat.kcompactd_max_order = order;
  if (pgdat.kcompactd_highest_zoneidx > highest_zoneidx) pgdat.kcompactd_highest_zoneidx = highest_zoneidx;
  const wq = k.kthread_wq.get(`kcompactd${nid}`);
  if (!wq || wq.tasks.size === 0) return;
  if (!kcompactd_node_suitable(k, nid)) return;
  wake_up(k, wq);
}

/** kcompactd_do_work: one round over the node's zones at kcompactd_max_order. */
export function kcompactd_do_work(k: Kernel, nid: number): void {
  const stalled = psi_memstall_enter(k);
  kcompactd_pass(k, nid);
  psi_memstall_leave(k, stalled);
}

function kcompactd_pass(k: Kernel, nid: number): void {
  const pgdat = k.nodes[nid];
  const order = pgdat.kcompactd_max_order;
  const highest_zoneidx = pgdat.kcompactd_highest_zoneidx;
  k.vm_events[KCOMPACTD_WAKE]++;
  for (const zone of pgdat.node_zones) {
    if (zone.zone_idx > highest_zoneidx) break;
    if (!zone.populated_zone()) continue;
    if (compaction_deferred(zone, order)) continue;
    if (compaction_suitable(k, zone, order, 0, zone.zone_idx) !== COMPACT_CONTINUE) continue;
    const cc = new_compact_control(zone, order, GFP_KERNEL);
    cc.mode = MIGRATE_SYNC_LIGHT;
    cc.highest_zoneidx = highest_zoneidx;
    const status = compact_zone(k, cc);
    if (status === COMPACT_SUCCESS) compaction_defer_reset(zone, order, false);
    else if (status === COMPACT_PARTIAL_SKIPPED || status === COMPACT_COMPLETE) {
      drain_all_pages(k, zone);
      defer_compaction(zone, order);
    }
    k.vm_events[KCOMPACTD_MIGRATE_SCANNED] += cc.total_migrate_scanned;
    k.vm_events[KCOMPACTD_FREE_SCANNED] += cc.total_free_scanned;
  }
  // Requests that came in while we worked stay for the next round.
  if (pgdat.kcompactd_max_order <= order) pgdat.kcompactd_max_order = 0;
  if (pgdat.kcompactd_highest_zoneidx >= highest_zoneidx)
    pgdat.kcompactd_highest_zoneidx = pgdat.node_zones.length - 1;
}

/** HPAGE_FRAG_CHECK_INTERVAL_MSEC: how often kcompactd looks at the node's score. */
const FRAG_CHECK_INTERVAL_NS = 500_000_000;

/** should_proactive_compact_node: proactiveness on, kswapd asleep, score above the high mark. */
function should_proactive_compact_node(k: Kernel, nid: number): boolean {
  if (!k.sysctl_vm.compaction_proactiveness || kswapd_is_running(k, nid)) return false;
  return fragmentation_score_node(k, nid) > fragmentation_score_wmark(k, false);
}

/** proactive_compact_node: the whole of each zone, until its score is down to the low mark. */
function proactive_compact_node(k: Kernel, nid: number): void {
  for (const zone of k.nodes[nid].node_zones) {
    if (!zone.populated_zone()) continue;
    const cc = new_compact_control(zone, -1, GFP_KERNEL);
    cc.mode = MIGRATE_SYNC_LIGHT;
    cc.ignore_skip_hint = true;
    cc.whole_zone = true;
    cc.proactive_compaction = true;
    compact_zone(k, cc);
    k.vm_events[KCOMPACTD_MIGRATE_SCANNED] += cc.total_migrate_scanned;
    k.vm_events[KCOMPACTD_FREE_SCANNED] += cc.total_free_scanned;
  }
}

/**
 * The kcompactd kthread of a node. It sleeps until woken for a high-order
 * request (kcompactd_do_work) or by a write to vm.compaction_proactiveness;
 * after that it looks at the node again every 500 ms and compacts
 * proactively while the node's fragmentation score is above the high mark,
 * as long as the rounds lower the score.
 *
 * Simplified compared to Linux: 6.1's kcompactd wakes every 500 ms for
 * good (and every 32 s after a round that did not help). Here the 500 ms
 * checks only follow a wakeup, and stop when there is nothing to do or a
 * round did not help: a timer that never stops would keep an idle machine
 * from ever waiting for input (machine_idle counts pending timers).
 */
export function kcompactd(nid: number) {
  return function* (k: Kernel, _t: Task): TaskGen {
    const pgdat = k.nodes[nid];
    const wq = k.kthread_wq.get(`kcompactd${nid}`)!;
    let check = false; // look at the score again in 500 ms
    for (;;) {
      const until =
        check && k.sysctl_vm.compaction_proactiveness ? k.clock.ns + FRAG_CHECK_INTERVAL_NS : undefined;
      yield { nr: "__kwait", wq, until };
      check = false;
      if (pgdat.kcompactd_max_order > 0 && !pgdat.proactive_compact_trigger) {
        kcompactd_do_work(k, nid);
        check = true;
        continue;
      }
      if (should_proactive_compact_node(k, nid)) {
        const prev_score = fragmentation_score_node(k, nid);
        proactive_compact_node(k, nid);
        check = fragmentation_score_node(k, nid) < prev_score;
      }
      pgdat.proactive_compact_trigger = false;
    }
  };
}

/** compaction_proactiveness_sysctl_handler: a non-zero write wakes every kcompactd for a round now. */
export function compaction_proactiveness_trigger(k: Kernel): void {
  if (!k.sysctl_vm.compaction_proactiveness) return;
  for (const pgdat of k.nodes) {
    if (pgdat.proactive_compact_trigger) continue;
    pgdat.proactive_compact_trigger = true;
    const wq = k.kthread_wq.get(`kcompactd${pgdat.node_id}`);
    if (wq) wake_up(k, wq);
  }
}

/**
 * The kswapd wakeup hook once compaction is up: kswapd's wakeup, then
 * kcompactd's for a high-order request. One function for every machine (not
 * a closure per boot), so the allocator's call to the hook stays
 * monomorphic when a process makes a second machine.
 */
function wakeup_kswapd_kcompactd(
  k: Kernel,
  zone: Zone,
  gfp: number,
  order: number,
  highest_zoneidx: number,
): void {
  wakeup_kswapd(k, zone, gfp, order, highest_zoneidx);
  if (order > 0) {
    // kswapd_try_to_sleep: the skip hints direct compaction left are cleared first.
    reset_isolation_suitable(k, zone.node);
    wakeup_kcompactd(k, zone.node, order, highest_zoneidx);
  }
}

/**
 * kcompactd_init and the rest of compaction's boot: the slow path's hooks
 * (direct compaction, compact_memory), the kcompactd wakeup riding on the
 * kswapd wakeup, and /sys/kernel/debug/extfrag.
 */
export function compaction_init(k: Kernel): void {
  for (const pgdat of k.nodes) {
    pgdat.kcompactd_max_order = 0;
    pgdat.kcompactd_highest_zoneidx = pgdat.node_zones.length - 1;
  }
  k.mm_hooks.wakeup_kswapd = wakeup_kswapd_kcompactd;
  k.mm_hooks.try_to_compact_pages = try_to_compact_pages;
  k.mm_hooks.compact_nodes = compact_nodes;
  k.debugfs_extra.push(extfrag_debugfs_entry());
}
