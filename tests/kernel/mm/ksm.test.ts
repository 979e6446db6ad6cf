/*
 * KSM (mm/ksm.c): ksmd merges equal pages of MADV_MERGEABLE areas. Pages
 * must be unchanged for one full scan before the unstable tree takes them;
 * merged ones share one read-only KSM page (pages_shared/pages_sharing), a
 * write copies (cow_ksm), run=2 copies everything back, and more than
 * max_page_sharing sharers make a chain of dups. The kernel's invariants
 * (rmap finds every mapping, counters agree) are checked after each step.
 */

import { describe, expect, it } from "vitest";
import { checkedRunner, procNums } from "../../helpers/machine.js";

const KSM = "/sys/kernel/mm/ksm";

/** A run program: map SIZE, fill it with BYTE, make it mergeable, then hold it until killed. */
function holder(size: string, byte: string): string {
  return [
    `cat > /tmp/h${byte}.run <<'EOF'`,
    `buf = mmap ${size} rw`,
    `write buf ${size} ${byte}`,
    `madvise buf ${size} mergeable`,
    "pause",
    "EOF",
  ].join("\n");
}

/** What the counters read once ksmd has let go of everything. */
const NOTHING_MERGED = { pages_shared: 0, pages_sharing: 0, pages_unshared: 0, pages_volatile: 0 };

function counters(run: (l: string) => string): Record<string, number> {
  const out = run(
    `for f in pages_shared pages_sharing pages_unshared pages_volatile full_scans stable_node_chains stable_node_dups; do echo "$f $(cat ${KSM}/$f)"; done`,
  );
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => [l.split(" ")[0], Number(l.split(" ")[1])]),
  );
}

describe("KSM", () => {
  it("the sysfs knobs start as 6.1's and refuse what it refuses", () => {
    const run = checkedRunner();
    expect(run(`ls ${KSM}`).split(/\s+/).filter(Boolean).sort()).toEqual(
      [
        "full_scans",
        "max_page_sharing",
        "pages_shared",
        "pages_sharing",
        "pages_to_scan",
        "pages_unshared",
        "pages_volatile",
        "run",
        "sleep_millisecs",
        "stable_node_chains",
        "stable_node_chains_prune_millisecs",
        "stable_node_dups",
        "use_zero_pages",
      ].sort(),
    );
    expect(
      run(
        `cd ${KSM}; echo $(cat run pages_to_scan sleep_millisecs max_page_sharing use_zero_pages stable_node_chains_prune_millisecs)`,
      ),
    ).toBe("0 100 20 256 0 2000\n");
    expect(run(`echo 3 > ${KSM}/run; echo $?`)).toBe("sh: write error: Invalid argument\n1\n");
    expect(run(`echo x > ${KSM}/pages_to_scan; echo $?`)).toBe("sh: write error: Invalid argument\n1\n");
    expect(run(`echo 1 > ${KSM}/max_page_sharing; echo $?`)).toBe("sh: write error: Invalid argument\n1\n");
    expect(run(`echo 1 > ${KSM}/pages_shared; echo $?`)).toMatch(
      /Permission denied|Invalid argument|Input\/output error/,
    );
  });

  it("merges equal pages of two processes: one KSM page per content, RSS unchanged, AnonPages and MemFree move", () => {
    const run = checkedRunner();
    run(holder("8M", "0x5a"));
    run(`echo 10000 > ${KSM}/pages_to_scan`);
    run("run /tmp/h0x5a.run & A=$!");
    run("run /tmp/h0x5a.run & B=$!");
    run("sleep 1");
    const before = procNums(run("cat /proc/meminfo"));
    const rssA = run("grep VmRSS /proc/$A/status");
    expect(counters(run)).toMatchObject({ pages_shared: 0, pages_sharing: 0 });
    run(`echo 1 > ${KSM}/run`);
    run("sleep 2");
    // 2 x 2048 equal pages: 4096 sharers, at most 256 per KSM page -> 16 dups in one chain.
    const c = counters(run);
    expect(c).toMatchObject({
      pages_shared: 16,
      pages_sharing: 4080,
      pages_unshared: 0,
      stable_node_chains: 1,
      stable_node_dups: 16,
    });
    expect(c.full_scans).toBeGreaterThan(1);
    // KSM pages stay in each process's RSS (MM_ANONPAGES is not touched by a merge).
    expect(run("grep VmRSS /proc/$A/status")).toBe(rssA);
    expect(run("cat /proc/$A/ksm_merging_pages /proc/$B/ksm_merging_pages")).toBe("2048\n2048\n");
    const after = procNums(run("cat /proc/meminfo"));
    // 4096 written pages became 16: 16320 kB less anonymous memory, as much more free.
    expect(before.AnonPages - after.AnonPages).toBe((4096 - 16) * 4);
    // (less what the per-CPU lists keep of the freed pages: at most each list's high mark).
    const pcp_high_kb = [...run("cat /proc/zoneinfo").matchAll(/^ +high: +(\d+)$/gm)].reduce(
      (a, m) => a + Number(m[1]) * 4,
      0,
    );
    expect(pcp_high_kb).toBeLessThan(8192);
    expect(after.MemFree - before.MemFree).toBeGreaterThan((4096 - 16) * 4 - pcp_high_kb);
    run("kill $A $B; wait");
    run("sleep 1");
    expect(counters(run)).toMatchObject(NOTHING_MERGED);
  });

  it("a write copies the KSM page (cow_ksm); run=2 copies every page back and forgets the scans", () => {
    const run = checkedRunner();
    run(holder("4M", "0x11"));
    run(`echo 10000 > ${KSM}/pages_to_scan; echo 1 > ${KSM}/run`);
    run("run /tmp/h0x11.run & A=$!");
    run("run /tmp/h0x11.run & B=$!");
    run("sleep 2");
    expect(counters(run)).toMatchObject({ pages_shared: 8, pages_sharing: 2040 });
    const anon = procNums(run("cat /proc/meminfo")).AnonPages;
    // A third process maps the same contents, writes half of it again, then exits.
    run(
      [
        "cat > /tmp/w.run <<'EOF'",
        "buf = mmap 4M rw",
        "write buf 4M 0x11",
        "madvise buf 4M mergeable",
        "sleep 2s",
        "show ksm_merging_pages",
        "write buf 2M 0x22",
        "EOF",
      ].join("\n"),
    );
    const vm0 = procNums(run("cat /proc/vmstat"));
    expect(run("run /tmp/w.run")).toBe("1024\n");
    const vm1 = procNums(run("cat /proc/vmstat"));
    expect(vm1.cow_ksm - vm0.cow_ksm).toBe(512);
    run("sleep 1");
    expect(counters(run)).toMatchObject({ pages_shared: 8, pages_sharing: 2040 });
    // run=2: every KSM mapping gets its own page back (a write fault each), and the scans restart.
    run(`echo 2 > ${KSM}/run`);
    const vm2 = procNums(run("cat /proc/vmstat"));
    expect(vm2.cow_ksm - vm1.cow_ksm).toBe(2048);
    expect(counters(run)).toMatchObject({
      pages_shared: 0,
      pages_sharing: 0,
      pages_unshared: 0,
      pages_volatile: 0,
      full_scans: 0,
    });
    expect(procNums(run("cat /proc/meminfo")).AnonPages - anon).toBe((2048 - 8) * 4);
    expect(run("cat /proc/$A/ksm_stat")).toBe("ksm_rmap_items 0\n");
    run("kill $A $B; wait");
  });

  it("a child forked from a mergeable process shares its KSM pages and joins ksmd's list", () => {
    const run = checkedRunner();
    run(
      [
        "cat > /tmp/f.run <<'EOF'",
        "buf = mmap 2M rw",
        "write buf 2M 0x44",
        "madvise buf 2M mergeable",
        "sleep 2s",
        "child = fork",
        "  sleep 2s",
        "  show ksm_merging_pages",
        "  write buf 4K 0x55",
        "  sleep 1s",
        "  show ksm_merging_pages",
        "end",
        "wait child",
        "show ksm_merging_pages",
        "EOF",
      ].join("\n"),
    );
    run(`echo 10000 > ${KSM}/pages_to_scan; echo 1 > ${KSM}/run`);
    // The parent's 512 equal pages: 2 dups of 256. The child maps them all through fork; once ksmd
    // has looked at its mm, its rmap_items join the nodes (KSM fork: over max_page_sharing is allowed).
    expect(run("run /tmp/f.run")).toBe("512\n511\n512\n");
    expect(procNums(run("cat /proc/vmstat")).cow_ksm).toBe(1);
  });

  it("use_zero_pages: empty pages are replaced by the zero page, and leave the RSS", () => {
    const run = checkedRunner();
    run(holder("4M", "0x00"));
    run(`echo 10000 > ${KSM}/pages_to_scan; echo 1 > ${KSM}/use_zero_pages; echo 1 > ${KSM}/run`);
    run("run /tmp/h0x00.run & A=$!");
    run("sleep 2");
    expect(counters(run)).toMatchObject({ pages_shared: 0, pages_sharing: 0 });
    expect(run("grep RssAnon /proc/$A/status")).toMatch(/^RssAnon:\s+\d+ kB\n$/);
    expect(procNums(run("cat /proc/$A/status")).RssAnon).toBeLessThan(400);
    run("kill $A; wait");
  });

  it("KSM pages go to swap under pressure; swapping back in, a process gets a copy of a page another one mapped", () => {
    const run = checkedRunner({ memory: 256 * 2 ** 20, disks: [512 * 2 ** 20] });
    // Without randomisation: which pages memhog's reclaim takes first follows where ASLR put
    // everything (with another draw the merged pages stayed in memory and nothing was copied).
    run("echo 0 > /proc/sys/kernel/randomize_va_space");
    run("mkswap /dev/vda > /dev/null; swapon /dev/vda");
    run(
      [
        "cat > /tmp/s.run <<'EOF'",
        "buf = mmap 16M rw",
        "write buf 16M 0x66",
        "madvise buf 16M mergeable",
        "sleep 3s",
        "show ksm_merging_pages",
        "sleep 10s",
        "show status VmSwap",
        "read buf 16M",
        "EOF",
      ].join("\n"),
    );
    run(`echo 10000 > ${KSM}/pages_to_scan; echo 1 > ${KSM}/run`);
    run("run /tmp/s.run > /tmp/a.out & A=$!");
    run("run /tmp/s.run > /tmp/b.out & B=$!");
    run("sleep 4");
    // (Read with builtins: no process started between the merge and the pressure.)
    expect(run(`read a < ${KSM}/pages_shared; read b < ${KSM}/pages_sharing; echo $a $b`)).toBe("32 8160\n");
    // Push them out: the KSM pages are unmapped from both processes (rmap through the stable nodes).
    // The first memhog finds them referenced through their 8192 PTEs and activates them; it ages
    // no active anon page (6.1's may_deactivate: its own pages fill the inactive list and
    // refault from too far to be activated). Once it is gone the inactive anon list is short:
    // the second one ages the active list, and the stable pages go to swap.
    run("memhog -r2 300M > /dev/null");
    run("memhog 300M > /dev/null");
    run("wait $A $B");
    const a = run("cat /tmp/a.out");
    expect(a.split("\n")[0]).toBe("4096");
    expect(Number(/VmSwap:\s+(\d+)/.exec(a)![1])).toBeGreaterThan(0);
    // The first to fault a slot back maps the page; the other, of another anon_vma family, gets a copy.
    expect(procNums(run("cat /proc/vmstat")).ksm_swpin_copy).toBeGreaterThan(0);
    run("sleep 1");
    expect(counters(run)).toMatchObject(NOTHING_MERGED);
    run("swapoff /dev/vda");
  });

  it("run=2 without the memory to copy everything back: the writer is the OOM killer's first choice, run goes back to 0", () => {
    const run = checkedRunner({ memory: 96 * 2 ** 20 });
    run(holder("40M", "0x5a"));
    run(`echo 10000 > ${KSM}/pages_to_scan; echo 1 > ${KSM}/run`);
    run("run /tmp/h0x5a.run & A=$!");
    run("sleep 1");
    run("run /tmp/h0x5a.run & B=$!");
    run("sleep 2");
    expect(counters(run).pages_sharing).toBe(20480 - 80);
    // (A shell of its own writes, so that the console's shell survives; the shell reads the
    // results with builtins: the machine is out of memory, a new process would be another kill.)
    const out = run(
      `sh -c 'echo 2 > ${KSM}/run'; echo "rc=$?"; read r < ${KSM}/run; read p < ${KSM}/pages_sharing; echo "run=$r sharing=$p"`,
    );
    expect(out).toMatch(/Out of memory: Killed process \d+ \(sh\)/);
    // (The machine is still at the edge: the console shell's own next allocation may cost a
    // holder its life too, which its job notice then reports.)
    const m =
      /Killed\nrc=137\n[\s\S]*run=0 sharing=(\d+)\n(?:\[\d\]\+ +Killed +run \/tmp\/h0x5a\.run\n)?$/.exec(out);
    expect(m).not.toBeNull();
    // What was copied back before the kill stays so; the rest is still merged.
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(20480 - 80);
  });
});
