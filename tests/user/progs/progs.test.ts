/*
 * The programs beside BusyBox: numactl's memhog, the reference's hog and
 * cow, and the run interpreter with its examples. Whole outputs where they
 * are deterministic; the invariant checker after every session.
 */

import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";

function session(machine: "vexpress-a9" | "pc" = "vexpress-a9"): {
  run: (line: string) => string;
  s: PlainSession;
} {
  const s = new PlainSession({ machine });
  return {
    s,
    run: (line: string) => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    },
  };
}

const USAGE = `memhog [-fFILE] [-rNUM] size[kmg] [policy [nodeset]]
-f mmap is backed by FILE
-rNUM repeat memset NUM times
-H disable transparent hugepages
Policies: preferred-many local interleave membind preferred default
`;

describe("memhog", () => {
  it("prints numactl's usage and fails without a size", () => {
    const { run } = session();
    expect(run('memhog; echo "rc=$?"')).toBe(`${USAGE}rc=1\n`);
    expect(run('memhog -x 1M; echo "rc=$?"')).toBe(`${USAGE}rc=1\n`);
  });

  it("says mbind and get_mempolicy are missing on the non-NUMA ARM kernel, then hogs", () => {
    const { run } = session();
    expect(run("memhog 200M")).toBe(
      "mbind: Function not implemented\nget_mempolicy: Function not implemented\n....................\n",
    );
    expect(run("memhog -r2 100M")).toBe(
      "mbind: Function not implemented\nget_mempolicy: Function not implemented\n..........\n..........\n",
    );
  });

  it("hogs quietly on the NUMA x86 kernel", () => {
    const { run } = session("pc");
    expect(run("memhog 200M")).toBe("....................\n");
  });

  it("fails at mmap when the heuristic overcommit refuses", () => {
    const { run } = session();
    const out = run('memhog 2G; echo "rc=$?"');
    expect(out).toMatch(
      /^\[ *\d+\.\d{6}\] __vm_enough_memory: pid: \d+, comm: memhog, no enough memory for the allocation\nnumactl: mmap: Cannot allocate memory\nrc=1\n$/,
    );
  });

  it("gives all its memory back when it exits", () => {
    const { run, s } = session();
    // Pages in use (free pages and the per-CPU lists excluded).
    const used = (): number => s.m.k.zones.reduce((a, z) => a + z.nr_in_use, 0);
    run("true");
    const before = used();
    run("memhog 100M > /dev/null");
    // Its 25600 pages, tables and stack are back; a slab or the shell may keep a page or two more.
    expect(used() - before).toBeGreaterThanOrEqual(0);
    expect(used() - before).toBeLessThan(8);
  });
});

describe("hog and cow", () => {
  it("hog touches in steps and reports each", () => {
    const { run } = session("pc");
    const out = run("hog 30M").replace(/hog\[\d+\]/g, "hog[PID]");
    expect(out).toBe(
      "hog[PID]: target 30 MiB, step 10 MiB\nhog[PID]: touched 10 MiB\nhog[PID]: touched 20 MiB\nhog[PID]: touched 30 MiB\nhog[PID]: done 30 MiB\n",
    );
  });

  it("cow shows sharing after fork and private copies after writes", () => {
    const { run } = session("pc");
    const out = run("cow 8");
    const steps = out.split("\n").filter((l) => l.startsWith("["));
    expect(steps.map((l) => l.replace(/pid=\d+/, "pid=N"))).toEqual([
      "[parent pid=N] step 0: start",
      "[parent pid=N] step 1: after mmap+touch (MADV_NOHUGEPAGE)",
      "[child pid=N] step 2: after fork, before any write",
      "[parent pid=N] step 2: after fork",
      "[child pid=N] step 3: after child wrote first half",
      "[parent pid=N] step 3: after child wrote first half",
      "[child pid=N] step 4: after child read all pages",
      "[parent pid=N] step 5: after child exited",
      "[parent pid=N] step 6: after munmap",
    ]);
    const block = (i: number): string => out.split("[").filter(Boolean)[i];
    const field = (b: string, k: string): number => Number(new RegExp(` ${k}=(\\d+) kB`).exec(b)![1]);
    // After fork, the child's 8 MiB are all shared; after it writes half, 4 MiB are its own.
    expect(field(block(2), "Shared_Dirty")).toBeGreaterThanOrEqual(8192);
    expect(field(block(4), "Private_Dirty")).toBeGreaterThanOrEqual(4096);
    expect(field(block(4), "Private_Dirty")).toBeLessThan(4096 + 200);
    // Reads copy nothing.
    expect(field(block(6), "Private_Dirty")).toBe(field(block(4), "Private_Dirty"));
    // The munmap gives the 8 MiB back.
    expect(field(block(8), "RssAnon")).toBeLessThan(field(block(1), "RssAnon") - 8000);
  });
});

describe("run", () => {
  it("reports syntax errors with the file and line before running anything", () => {
    const { run } = session();
    run("printf 'print \"hi\"\\nx = mallok 3\\n' > /tmp/bad");
    expect(run("run /tmp/bad; echo rc=$?")).toBe(
      "run: /tmp/bad:2: syntax error: unknown command 'mallok'\nrc=2\n",
    );
    run("printf 'repeat 3\\n  print 1\\n' > /tmp/open");
    expect(run("run /tmp/open; echo rc=$?")).toBe(
      "run: /tmp/open:1: syntax error: block not closed with 'end'\nrc=2\n",
    );
    expect(run("run nosuch; echo rc=$?")).toBe("run: nosuch: No such file or directory\nrc=1\n");
  });

  it("without a program, lists the shipped ones with what each shows, and fails", () => {
    const { run } = session();
    expect(run("run; echo rc=$?")).toBe(
      [
        "Usage: run PROG [ARGS...]",
        "",
        "Run a memory-behaviour program (see docs/run.md); PROG is a file or one of /usr/share/run:",
        "  demand          demand paging, VSZ against RSS.",
        "  filemap         a shared file mapping, major then minor faults.",
        "  forktest        fork and copy-on-write.",
        "  heap            the heap grows with brk, and shrinks when free() trims it.",
        "  ksm             Kernel Samepage Merging.",
        "  leak            a slow leak.",
        "  mmap-threshold  where malloc gets memory from.",
        "  segv            mprotect and a segmentation fault.",
        "  shared          memory shared between processes.",
        "  stack           the stack grows on demand.",
        "rc=1",
        "",
      ].join("\n"),
    );
  });

  it("stops at a failing call with its error, unless the call is tried", () => {
    const { run } = session();
    run('printf \'try munmap 4097 4K\\nprint "went on"\\nmunmap 4097 4K\\nprint "not here"\\n\' > /tmp/f');
    expect(run("run /tmp/f; echo rc=$?")).toBe("went on\nrun: /tmp/f:3: munmap: Invalid argument\nrc=1\n");
  });

  it("demand: VSZ grows at mmap, RSS only with writes; reads fault in the zero page", () => {
    const { run } = session();
    expect(run("run demand")).toBe(
      [
        "== start",
        "VmSize:\t     792 kB",
        "VmRSS:\t     404 kB",
        "minflt=16 majflt=0",
        "== after mmap 100M (VSZ +100M, RSS unchanged, no fault)",
        "VmSize:\t  103192 kB",
        "VmRSS:\t     404 kB",
        "minflt=16 majflt=0",
        "== after reading all of it (the zero page: still no RSS, 25600 faults more)",
        "VmSize:\t  103192 kB",
        "VmRSS:\t     404 kB",
        "minflt=25616 majflt=0",
        "== after writing the first 30M (RSS +30M, 7680 faults more)",
        "VmSize:\t  103192 kB",
        "VmRSS:\t   31124 kB",
        "minflt=33296 majflt=0",
        "== after munmap",
        "VmSize:\t     792 kB",
        "VmRSS:\t     404 kB",
        "",
      ].join("\n"),
    );
  });

  it("heap: brk grows in steps of M_TOP_PAD, and free() of the top chunks trims it", () => {
    const { run } = session();
    expect(run("run heap")).toBe(
      [
        "== start: the program break (brk) and the [heap] area",
        "brk = 0x7fb000",
        "007d9000-007fb000 rw-p 00000000 00:00 0          [heap]",
        "== after 8 x malloc(60K), each written",
        "brk = 0x855000 (grew by 360 kB)",
        "007d9000-00855000 rw-p 00000000 00:00 0          [heap]",
        "VmRSS:\t     888 kB",
        "VmData:\t     512 kB",
        "== free() of the first chunk: a hole below chunks in use, kept for a later malloc",
        "brk = 0x855000",
        "== free() of the 5 top chunks: the free top passes 128K, free() trims the heap (keeping 128K)",
        "brk = 0x828000 (shrank by 180 kB)",
        "007d9000-00828000 rw-p 00000000 00:00 0          [heap]",
        "VmRSS:\t     716 kB",
        "VmData:\t     332 kB",
        "",
      ].join("\n"),
    );
  });

  it("segv: a store to a read-only page is a segmentation fault", () => {
    const { run } = session();
    const out = run("run segv; echo rc=$?");
    expect(out).toMatch(/\nwriting to the read-only part\.\.\.\nSegmentation fault\nrc=139\n$/);
    // The read-only middle of the three is the only nameless r-- area.
    expect(out.match(/ r--p 00000000 00:00 0 \n/g)?.length).toBe(1);
  });

  it("ksm: ksmd merges the 2048 equal pages parent and child map into 16 KSM pages; a write copies", () => {
    const { run } = session("vexpress-a9");
    expect(run("run ksm")).toBe(
      [
        "== before ksmd has looked",
        "AnonPages:          8308 kB",
        "VmRSS:\t    8596 kB",
        "== after two seconds of ksmd",
        "AnonPages:           180 kB",
        "VmRSS:\t    8596 kB",
        "ksm_merging_pages (this mm), pages_shared, pages_sharing (all):",
        "2048",
        "16",
        "4080",
        "== child, after writing 1M: 256 pages are its own again",
        "ksm_merging_pages:",
        "1792",
        "cow_ksm 256",
        "",
      ].join("\n"),
    );
  });

  it("every example runs to the end on both kinds of machine", () => {
    for (const m of ["vexpress-a9", "pc"] as const) {
      const { run } = session(m);
      for (const ex of [
        "heap",
        "mmap-threshold",
        "demand",
        "forktest",
        "filemap",
        "stack",
        "leak 3",
        "shared",
        "ksm",
      ])
        expect(run(`run ${ex} > /dev/null; echo $?`), `${m}: run ${ex}`).toBe("0\n");
    }
  });
});
