/*
 * The oom_reaper: a victim that cannot act on its SIGKILL (here one held in
 * an uninterruptible sleep, as a task blocked on a lock in the kernel would
 * be) keeps its memory, so 2 s after the kill (OOM_REAPER_DELAY) the
 * oom_reaper kthread unmaps its private memory itself and says so in 6.1's
 * words; the task that was waiting for memory then goes on.
 */

import { describe, expect, it } from "vitest";
import { wake_up_process } from "../../../src/kernel/sched/core.js";
import { TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE } from "../../../src/kernel/sched/task.js";
import { PlainSession } from "../../../src/plain/run.js";

describe("the oom_reaper", () => {
  it("reaps a victim still alive 2 s after the kill, and the allocation goes on", () => {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 256 << 20 });
    const run = (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
    run("hog 100M 10M hold > /dev/null &");
    const a = Number(run("echo $!"));
    run(`echo 1000 > /proc/${a}/oom_score_adj`);
    run("sleep 1");
    // The victim-to-be sleeps where a signal cannot wake it.
    const victim = s.m.k.sched.tasks.get(a)!;
    expect(victim.state).toBe(TASK_INTERRUPTIBLE);
    victim.state = TASK_UNINTERRUPTIBLE;
    run("dmesg -c > /dev/null; dmesg -n 1");

    expect(run("hog 180M 20M > /dev/null; echo rc=$?")).toBe("rc=0\n");
    const log = run("dmesg")
      .split("\n")
      .filter((l) => /Killed process|oom_reaper/.test(l));
    expect(log.length).toBe(2);
    const at = log.map((l) => Number(/^\[ *([\d.]+)\]/.exec(l)![1]));
    expect(log[0]).toMatch(new RegExp(`\\] Out of memory: Killed process ${a} \\(hog\\) total-vm:`));
    // mm/oom_kill.c oom_reap_task_mm: only what the reaper could not unmap stays (nothing here).
    expect(log[1].replace(/^\[ *[\d.]+\] /, "")).toBe(
      `oom_reaper: reaped process ${a} (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
    );
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(2);
    expect(at[1] - at[0]).toBeLessThan(2.1);
    // Still there, in D state, with nothing mapped.
    expect(run(`grep -E '^(State|VmRSS|RssAnon|RssFile|RssShmem)' /proc/${a}/status`)).toBe(
      "State:\tD (disk sleep)\nVmRSS:\t       0 kB\nRssAnon:\t       0 kB\nRssFile:\t       0 kB\nRssShmem:\t       0 kB\n",
    );
    expect(run("grep oom_kill /proc/vmstat")).toBe("oom_kill 1\n");

    // Let go, it dies of the SIGKILL it has pending.
    victim.state = TASK_INTERRUPTIBLE;
    wake_up_process(s.m.k, victim);
    expect(run(`wait ${a}; echo rc=$?`)).toBe(
      "Killed\nrc=137\n[1]+  Killed                     hog 100M 10M hold >/dev/null\n",
    );
  });
});
