/*
 * reclaim.ts - the reclaim and OOM issues' numbers, through whole sessions:
 *  - memhog of twice the RAM with swap on a virtio disk (1 GiB vexpress-a9,
 *    3 GiB of swap): host seconds for the command, and pages reclaimed
 *    (pgsteal_kswapd + pgsteal_direct) per host second;
 *  - drop_caches of 4 GiB of clean cache on a 16 GiB pc: the cache is the
 *    page cache of a disk read with dd while a shell holds it open;
 *  - the OOM killer on a 1 GiB machine without swap: host time from the
 *    first allocation that had to reclaim (the first direct reclaim) to the
 *    kill, for `hog` growing until it is killed.
 */

import { GFP_HIGHUSER_MOVABLE } from "../kernel/mm/gfp.js";
import { OOM_KILL } from "../kernel/mm/vm_event_item.js";
import { try_to_free_pages } from "../kernel/mm/vmscan.js";
import { PlainSession } from "../plain/run.js";
import type { Row } from "./main.js";

const MiB = 2 ** 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function pgsteal(s: PlainSession): number {
  s.line("grep -E '^pgsteal_(kswapd|direct) ' /proc/vmstat");
  return [...s.take().matchAll(/ (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
}

function swapRun(): { ms: number; reclaimed: number } {
  const s = new PlainSession({ machine: "vexpress-a9", memory: 1024 * MiB, disks: [3072 * MiB] });
  s.line("mkswap /dev/vda > /dev/null");
  s.line("swapon /dev/vda");
  s.take();
  const before = pgsteal(s);
  const t0 = performance.now();
  s.line("memhog 2G > /dev/null 2>&1");
  const ms = performance.now() - t0;
  s.take();
  return { ms, reclaimed: pgsteal(s) - before };
}

function dropRun(): { ms: number; mib: number } {
  const s = new PlainSession({ machine: "pc", memory: 16384 * MiB, disks: [5120 * MiB] });
  s.line("exec 3</dev/vda");
  s.line("dd if=/dev/vda of=/dev/null bs=1M count=4096 2>/dev/null");
  s.take();
  const buffers = (): number => {
    s.line("grep Buffers /proc/meminfo");
    return Number(/(\d+) kB/.exec(s.take())![1]) / 1024;
  };
  const mib = buffers();
  const t0 = performance.now();
  s.line("echo 1 > /proc/sys/vm/drop_caches");
  const ms = performance.now() - t0;
  if (buffers() !== 0) throw new Error("bench: drop_caches left Buffers");
  return { ms, mib };
}

function oomRun(): number {
  const s = new PlainSession({ machine: "vexpress-a9", memory: 1024 * MiB });
  const hooks = s.m.k.mm_hooks;
  let stall = 0;
  let kill = 0;
  // The first direct reclaim (an allocation past its watermarks), then the kill.
  const reclaim = hooks.try_to_free_pages;
  hooks.try_to_free_pages = (k, gfp, order, zi) => {
    if (!stall) stall = performance.now();
    return reclaim(k, gfp, order, zi);
  };
  const oom = hooks.out_of_memory;
  hooks.out_of_memory = (k, gfp, order) => {
    const r = oom(k, gfp, order);
    if (!kill && k.vm_events[OOM_KILL] > 0) kill = performance.now();
    return r;
  };
  s.line("hog > /dev/null");
  if (!stall || !kill) throw new Error("bench: no OOM kill");
  return kill - stall;
}

export function reclaimSuite(): Row[] {
  // The first machine's memhog runs while the JIT is still compiling its paths (as the boot and
  // console suites, it warms the JIT up and is not in the medians; its own row below).
  const cold = swapRun();
  const swap = [swapRun(), swapRun(), swapRun()];
  const ms = median(swap.map((r) => r.ms));
  const rate = median(swap.map((r) => r.reclaimed / (r.ms / 1000)));
  directReclaimRun(); // warm up the JIT
  const direct = [directReclaimRun(), directReclaimRun(), directReclaimRun()];
  const direct_rate = median(direct.map((r) => r.reclaimed / (r.ms / 1000)));
  const drop = [dropRun(), dropRun(), dropRun()];
  const oom = [oomRun(), oomRun(), oomRun()];
  return [
    {
      what: "memhog 2G on 1 GiB + 3 GiB disk swap (vexpress-a9): host time",
      value: `${(ms / 1000).toFixed(2)} s (${swap[0].reclaimed} pages reclaimed)`,
      target: "",
      ok: null,
    },
    {
      what: "memhog 2G as a whole: pages reclaimed per host second of the command (its faults, zeroing and swap-ins counted in the time)",
      value: `${Math.round(rate).toLocaleString("en-US")}`,
      target: ">= 1,000,000",
      ok: rate >= 1_000_000,
    },
    {
      what: "the same, the first memhog of the process (the JIT still compiling; not in the medians)",
      value: `${Math.round(cold.reclaimed / (cold.ms / 1000)).toLocaleString("en-US")} (${(cold.ms / 1000).toFixed(2)} s)`,
      target: "",
      ok: null,
    },
    {
      what: "direct reclaim alone: pages reclaimed per host second inside try_to_free_pages (to disk swap, 700 MiB held)",
      value: `${Math.round(direct_rate).toLocaleString("en-US")}`,
      target: ">= 1,000,000",
      ok: direct_rate >= 1_000_000,
    },
    {
      what: `drop_caches of ${drop[0].mib} MiB of clean cache on a 16 GiB pc`,
      value: `${median(drop.map((r) => r.ms)).toFixed(0)} ms`,
      target: "",
      ok: null,
    },
    {
      what: "first allocstall to the OOM kill (1 GiB vexpress-a9, no swap, hog)",
      value: `${median(oom).toFixed(1)} ms`,
      target: "",
      ok: null,
    },
  ];
}

/**
 * Reclaim on its own: a process holds 700 MiB of anonymous memory on a
 * 1 GiB machine with disk swap, and the bench calls direct reclaim
 * (try_to_free_pages, 32 pages a call as SWAP_CLUSTER_MAX) until 150,000
 * pages went to swap: pages reclaimed per host second of reclaim.
 */
export function directReclaimRun(): { ms: number; reclaimed: number } {
  const s = new PlainSession({ machine: "vexpress-a9", memory: 1024 * MiB, disks: [2048 * MiB] });
  s.line("mkswap /dev/vda > /dev/null");
  s.line("swapon /dev/vda");
  s.line("hog 700M 100M hold > /dev/null &");
  s.line("sleep 2");
  s.take();
  const k = s.m.k;
  const zi = k.zones.length - 1;
  let reclaimed = 0;
  const t0 = performance.now();
  while (reclaimed < 150_000) {
    const n = try_to_free_pages(k, GFP_HIGHUSER_MOVABLE, 0, zi);
    if (!n) throw new Error("bench: reclaim made no progress");
    reclaimed += n;
  }
  const ms = performance.now() - t0;
  s.m.checkInvariants();
  return { ms, reclaimed };
}
