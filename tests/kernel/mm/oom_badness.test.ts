/*
 * oom_badness and select_bad_process over tables of tasks: RSS, swap
 * entries and page tables add up, oom_score_adj shifts by thousandths of
 * all memory (divided first, as the kernel does), OOM_SCORE_ADJ_MIN, init
 * and kernel threads are never chosen, and a victim still exiting makes
 * the killer wait instead of choosing another.
 */

import { describe, expect, it } from "vitest";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { type OomControl, oom_badness, select_bad_process } from "../../../src/kernel/mm/oom_kill.js";
import type { Task } from "../../../src/kernel/sched/task.js";

interface Row {
  pid: number;
  rss: number;
  swap?: number;
  pte?: number;
  adj?: number;
  kthread?: boolean;
  victim?: boolean;
}

function task(r: Row): Task {
  const rss = Int32Array.of(0, r.rss, r.swap ?? 0, 0);
  return {
    pid: r.pid,
    comm: `t${r.pid}`,
    exit_state: 0,
    oom_score_adj: r.adj ?? 0,
    oom_victim: r.victim ?? false,
    is_kthread: () => r.kthread ?? false,
    mm: r.kthread ? null : { rss, get_mm_rss: () => rss[1], pgtables_bytes: r.pte ?? 0, oom_skip: false },
  } as unknown as Task;
}

function choose(rows: Row[], totalpages: number): number | "wait" | null {
  const tasks = new Map(rows.map((r) => [r.pid, task(r)]));
  const k = { sched: { tasks } } as unknown as Kernel;
  const oc: OomControl = { gfp: 0, order: 0, totalpages, chosen: null, abort: false, chosen_points: 0 };
  select_bad_process(k, oc);
  return oc.abort ? "wait" : (oc.chosen?.pid ?? null);
}

describe("oom_badness", () => {
  it("adds RSS, swap entries and page-table pages, and adj thousandths of memory", () => {
    expect(oom_badness(task({ pid: 10, rss: 1000, swap: 300, pte: 8192 }), 262144)).toBe(1302);
    // 262144 / 1000 = 262 (integer), times 500.
    expect(oom_badness(task({ pid: 10, rss: 1000, adj: 500 }), 262144)).toBe(1000 + 131000);
    expect(oom_badness(task({ pid: 10, rss: 1000, adj: -500 }), 262144)).toBe(1000 - 131000);
    expect(oom_badness(task({ pid: 10, rss: 1000, adj: -1000 }), 262144)).toBe(Number.NEGATIVE_INFINITY);
    expect(oom_badness(task({ pid: 1, rss: 1000 }), 262144)).toBe(Number.NEGATIVE_INFINITY);
    expect(oom_badness(task({ pid: 2, rss: 0, kthread: true }), 262144)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("chooses the highest, counting swap, never -1000, and waits for a victim in flight", () => {
    const T = 262144;
    expect(
      choose(
        [
          { pid: 10, rss: 5000 },
          { pid: 11, rss: 3000, swap: 2500 },
        ],
        T,
      ),
    ).toBe(11);
    expect(
      choose(
        [
          { pid: 10, rss: 5000 },
          { pid: 11, rss: 9000, adj: -1000 },
        ],
        T,
      ),
    ).toBe(10);
    expect(
      choose(
        [
          { pid: 10, rss: 50000 },
          { pid: 11, rss: 100, adj: 200 },
        ],
        T,
      ),
    ).toBe(11);
    expect(
      choose(
        [
          { pid: 10, rss: 50000, adj: -200 },
          { pid: 11, rss: 100 },
        ],
        T,
      ),
    ).toBe(11);
    // Equal badness: the later task in the list replaces the earlier one.
    expect(
      choose(
        [
          { pid: 10, rss: 700 },
          { pid: 11, rss: 700 },
        ],
        T,
      ),
    ).toBe(11);
    expect(
      choose(
        [
          { pid: 1, rss: 90000 },
          { pid: 2, rss: 0, kthread: true },
          { pid: 12, rss: 1 },
        ],
        T,
      ),
    ).toBe(12);
    expect(
      choose(
        [
          { pid: 10, rss: 50000 },
          { pid: 11, rss: 1, victim: true },
        ],
        T,
      ),
    ).toBe("wait");
    expect(
      choose(
        [
          { pid: 1, rss: 90000 },
          { pid: 13, rss: 10, adj: -1000 },
        ],
        T,
      ),
    ).toBe(null);
  });
});
