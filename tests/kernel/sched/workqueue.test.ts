/*
 * Workqueues (kernel/workqueue.c): the kworkers of each pool, and the
 * workqueue name a worker shows after the last item it ran (wq_worker_comm,
 * through proc_task_name in /proc/PID/stat, status and comm, so in ps).
 */

import { describe, expect, it } from "vitest";
import { INIT_WORK, queue_work_on, system_wq, wq_worker_comm } from "../../../src/kernel/sched/workqueue.js";
import { booted, sh } from "../../helpers/machine.js";

const kworkers = "ps -o pid,stat,comm | grep kworker";

describe("kworker names", () => {
  it("at the prompt: the unbound worker ran do_populate_rootfs and the console's flush_to_ldisc", () => {
    const r = sh([kworkers, "cat /proc/9/comm", "grep Name /proc/9/status", "cut -d' ' -f2 /proc/9/stat"], {
      machine: "pc",
      smp: 2,
    });
    expect(r.output).toBe(
      [
        "    7 IW   kworker/0:0",
        "    8 IW<  kworker/0:0H",
        "    9 IW   kworker/u4:0-ev",
        "   17 IW   kworker/0:1-eve",
        "   22 IW   kworker/1:0",
        "   23 IW<  kworker/1:0H",
        "   47 IW<  kworker/u5:0",
        "kworker/u4:0-events_unbound",
        "Name:\tkworker/u4:0-events_unbound",
        "(kworker/u4:0-events_unbound)",
        "",
      ].join("\n"),
    );
  });

  it("the pools follow -smp: two per CPU, the unbound pair numbered after them", () => {
    const r = sh(["ps -o comm | grep kworker/u"], { machine: "pc", smp: 3 });
    expect(r.output).toBe("kworker/u6:0-ev\nkworker/u7:0\n");
  });

  it("vmstat_update runs on mm_percpu_wq of every CPU that worked since the shepherd's last pass", () => {
    const r = sh(["sleep 2", "cat /proc/17/comm /proc/22/comm"], { machine: "pc", smp: 2 });
    expect(r.output).toBe("kworker/0:1-mm_percpu_wq\nkworker/1:0-mm_percpu_wq\n");
  });

  it("a disk whose ring fills is restarted from kblockd, on the high-priority pool", () => {
    const r = sh(
      ["dd if=/dev/zero of=/dev/vda bs=1M count=64 2>/dev/null; sync", "cat /proc/8/comm /proc/23/comm"],
      {
        machine: "pc",
        smp: 2,
        disks: [64 << 20],
      },
    );
    expect(r.output).toBe("kworker/0:0H-kblockd\nkworker/1:0H\n");
  });

  it("shows '+' while the item runs, '-' after; flags carry PF_WQ_WORKER", () => {
    const m = booted({ machine: "pc", smp: 2 });
    const k = m.k;
    let during = "";
    const worker = k.sched.tasks.get(17)!;
    queue_work_on(
      k,
      0,
      system_wq,
      INIT_WORK(function probe() {
        during = wq_worker_comm(k, k.sched.current!);
      }),
    );
    expect([during, wq_worker_comm(k, worker), (worker.flags & 0x20) !== 0]).toEqual([
      "kworker/0:1+events",
      "kworker/0:1-events",
      true,
    ]);
  });

  it("queues a pending item once: the second queue_work while it waits returns false", () => {
    const m = booted({ machine: "pc", smp: 2 });
    const k = m.k;
    const runs: string[] = [];
    const inner = INIT_WORK(function inner_fn() {
      runs.push(`inner_fn ${inner.pending}`);
    });
    const queued: boolean[] = [];
    queue_work_on(
      k,
      0,
      system_wq,
      INIT_WORK(function outer() {
        // the pool's worker is busy with this item: inner waits in the worklist, pending
        queued.push(queue_work_on(k, 0, system_wq, inner), queue_work_on(k, 0, system_wq, inner));
        runs.push("outer");
      }),
    );
    const first = [...runs];
    queued.push(queue_work_on(k, 0, system_wq, inner));
    expect([first, queued, runs]).toEqual([
      ["outer", "inner_fn false"],
      [true, false, true],
      ["outer", "inner_fn false", "inner_fn false"],
    ]);
  });
});
