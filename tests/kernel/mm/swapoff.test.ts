/*
 * swapoff's failures, as 6.1's sys_swapoff has them: the commit charge
 * refuses the area's pages under vm.overcommit_memory=2 (ENOMEM before
 * anything is touched); an OOM during try_to_unuse kills swapoff itself
 * (set_current_oom_origin) and the area goes back in use; a page that
 * cannot be had while an earlier victim is still dying is ENOMEM. In each
 * case the area stays usable, and swapoff succeeds once memory allows.
 * The invariant checker runs after every line.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner, session } from "../../helpers/machine.js";

const MiB = 2 ** 20;
const HEAD = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
const ON = (used: string): string =>
  `${HEAD}/dev/vda                                partition\t262140\t\t${used}\t\t-2\n`;

/** A 128 MiB machine swapping on a 256 MiB disk. */
function machine(): (line: string) => string {
  const run = checkedRunner({ memory: 128 * MiB, disks: [256 * MiB] });
  run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
  return run;
}

describe("swapoff", () => {
  it("refuses with ENOMEM when the commit charge would not fit without the area (overcommit 2)", () => {
    const run = machine();
    run("echo 2 > /proc/sys/vm/overcommit_memory; hog 70M 10M hold > /dev/null & sleep 1");
    expect(run("grep Commit /proc/meminfo")).toMatch(/^CommitLimit: +318120 kB\nCommitted_AS: +7\d{4} kB\n$/);
    expect(run('swapoff /dev/vda; echo "rc=$?"')).toMatch(
      /^\[ *[\d.]+\] __vm_enough_memory: pid: \d+, comm: swapoff, no enough memory for the allocation\nswapoff: \/dev\/vda: Cannot allocate memory\nrc=1\n$/,
    );
    expect(run("cat /proc/swaps; free | tail -1")).toBe(
      `${ON("0")}Swap:        262140           0      262140\n`,
    );
    // With the hog gone the charge fits.
    run("kill %1; wait");
    expect(run('swapoff /dev/vda; echo "rc=$?"; cat /proc/swaps')).toBe(`rc=0\n${HEAD}`);
  });

  it("is the OOM killer's choice when memory runs out: killed, and the area stays in use", () => {
    const run = machine();
    run("hog 160M 10M hold > /dev/null & sleep 3");
    const used = Number(/partition\t262140\t\t(\d+)/.exec(run("cat /proc/swaps"))![1]);
    expect(used).toBeGreaterThan(50_000);
    const out = run('swapoff /dev/vda; echo "rc=$?"');
    expect(out).toMatch(/\] swapoff invoked oom-killer: gfp_mask=0x100cca\(GFP_HIGHUSER_MOVABLE\), order=0,/);
    expect(out).toMatch(/\] Out of memory: Killed process \d+ \(swapoff\) total-vm:\d+kB/);
    expect(out).toMatch(/\nKilled\nrc=137\n$/);
    // Back in use at its priority, in SwapTotal again; the hog was spared.
    expect(run("cat /proc/swaps")).toMatch(
      /^Filename.*\n\/dev\/vda {32}partition\t262140\t\t[1-9]\d+\t\t-2\n$/,
    );
    expect(run("free | tail -1; jobs")).toMatch(
      /^Swap: +262140 +\d+ +\d+\n\[1\]\+ {2}Running {20}hog 160M 10M hold >\/dev\/null\n$/,
    );
    run("kill %1; wait");
    expect(run('swapoff /dev/vda; echo "rc=$?"; cat /proc/swaps')).toBe(`rc=0\n${HEAD}`);
  });

  it("fails with ENOMEM when a page cannot be had while an earlier OOM victim is still dying", () => {
    const s = session({ memory: 128 * MiB, disks: [256 * MiB] });
    const run = (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda; hog 160M 10M hold > /dev/null & sleep 3");
    // The hog was chosen by an OOM kill whose SIGKILL it has not acted on yet (tsk_is_oom_victim):
    // the OOM killer waits for it rather than pick swapoff, and swapoff's allocation fails.
    const hog = [...s.m.k.sched.tasks.values()].find((t) => t.comm === "hog")!;
    hog.oom_victim = true;
    s.m.k.oom.victims++;
    expect(run('swapoff /dev/vda; echo "rc=$?"')).toBe("swapoff: /dev/vda: Cannot allocate memory\nrc=1\n");
    expect(run("cat /proc/swaps")).toMatch(
      /^Filename.*\n\/dev\/vda {32}partition\t262140\t\t[1-9]\d+\t\t-2\n$/,
    );
    hog.oom_victim = false;
    s.m.k.oom.victims--;
    run("kill %1; wait");
    expect(run('swapoff /dev/vda; echo "rc=$?"; cat /proc/swaps')).toBe(`rc=0\n${HEAD}`);
  });
});
