/*
 * Compaction as a user sees it from the shell: /proc/sys/vm/compact_memory
 * (write-only, 1 only), the compact_* and pgmigrate_* lines of /proc/vmstat,
 * /sys/kernel/debug/extfrag in vmstat.c's format, kcompactd waking for a
 * high-order request that could not be served, and its proactive rounds.
 */

import { describe, expect, it } from "vitest";
import {
  fragmentation_score_node,
  fragmentation_score_wmark,
  fragmentation_score_zone,
} from "../../../src/kernel/mm/compaction.js";
import { page_bytes } from "../../../src/kernel/mm/filemap.js";
import { __GFP_DMA, __GFP_NOWARN } from "../../../src/kernel/mm/gfp.js";
import { alloc_pages } from "../../../src/kernel/mm/page_alloc.js";
import { PlainSession } from "../../../src/plain/run.js";
import { big_zone, fragment_with_movable } from "../../helpers/fragment.js";

const MiB = 1024 * 1024;

function session(): { run: (line: string) => string; s: PlainSession } {
  const s = new PlainSession({ machine: "pc", memory: 256 * MiB });
  return {
    s,
    run: (line: string) => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    },
  };
}

/**
 * Fragment the biggest zone as the compaction tests do, on the session's
 * kernel, and hold the pc's small DMA zone's big blocks (as a driver's
 * DMA buffers would), so that no zone has a free pageblock left.
 */
function fragment(s: PlainSession): void {
  const k = s.m.k;
  const current = k.sched.current;
  fragment_with_movable(k, big_zone(k), 7300);
  const dma = k.nodes[0].node_zones[k.zt.ZONE_DMA];
  for (let o = k.MAX_ORDER - 1; o >= k.pageblock_order; o--)
    while (dma.nr_free[o] > 0) alloc_pages(k, __GFP_DMA | __GFP_NOWARN, o);
  k.sched.current = current;
}

/** The vmstat lines asked for, as numbers. */
function vmstat(run: (l: string) => string, re: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of run(`grep -E '${re}' /proc/vmstat`).trim().split("\n")) {
    const [name, v] = l.split(" ");
    out[name] = Number(v);
  }
  return out;
}

/** What vmstat.c prints for free areas read from /proc/buddyinfo (fill_contig_page_info and both indices). */
function indices(buddyinfo: string): { unusable: string; extfrag: string } {
  let unusable = "";
  let extfrag = "";
  for (const line of buddyinfo.trim().split("\n")) {
    const m = /^(Node \d+, zone +\S+ )(.*)$/.exec(line)!;
    const nr = m[2].trim().split(/\s+/).map(Number);
    const fmt = (v: number): string =>
      `${Math.trunc(v / 1000)}.${String(Math.abs(v % 1000)).padStart(3, "0")} `;
    let u = m[1];
    let e = m[1];
    for (let order = 0; order < nr.length; order++) {
      let free = 0;
      let total = 0;
      let suitable = 0;
      nr.forEach((n, o) => {
        free += n * 2 ** o;
        total += n;
        if (o >= order) suitable += n * 2 ** (o - order);
      });
      u += fmt(free ? Math.floor(((free - suitable * 2 ** order) * 1000) / free) : 1000);
      e += fmt(
        !total
          ? 0
          : suitable
            ? -1000
            : 1000 - Math.floor((1000 + Math.floor((free * 1000) / 2 ** order)) / total),
      );
    }
    unusable += `${u}\n`;
    extfrag += `${e}\n`;
  }
  return { unusable, extfrag };
}

describe("compaction from the shell", () => {
  it("compact_memory is write-only and takes 1 only, as in the reference", () => {
    const { run } = session();
    expect(run('cat /proc/sys/vm/compact_memory; echo "rc=$?"')).toBe(
      "cat: can't open '/proc/sys/vm/compact_memory': Permission denied\nrc=1\n",
    );
    expect(run("echo 2 > /proc/sys/vm/compact_memory")).toBe("sh: write error: Invalid argument\n");
    expect(run('echo 1 > /proc/sys/vm/compact_memory; echo "rc=$?"')).toBe("rc=0\n");
    expect(run("cat /proc/sys/vm/extfrag_threshold")).toBe("500\n");
  });

  it("moves page cache too: a tmpfs file's pages change frames, its bytes do not", () => {
    const { run, s } = session();
    const k = s.m.k;
    run("seq 1 40000 > /tmp/f");
    const m = k.mappings.find(
      (x) => x?.shmem && x.pages.size > 40 && page_bytes(k, x.pages.get(0)!)[0] === 0x31,
    )!;
    const indices = [...m.pages.keys()].sort((a, b) => a - b);
    const before = indices.map((i) => m.pages.get(i)!);
    const bytes = before.map((pfn) => page_bytes(k, pfn));
    run("echo 1 > /proc/sys/vm/compact_memory");
    const after = indices.map((i) => m.pages.get(i)!);
    expect(after.filter((pfn, i) => pfn !== before[i]).length).toBeGreaterThan(0);
    expect(after.map((pfn) => page_bytes(k, pfn))).toEqual(bytes);
    expect(run("head -2 /tmp/f; tail -1 /tmp/f; wc -c < /tmp/f")).toBe("1\n2\n40000\n228894\n");
  });

  it("compact_memory moves pages, counts them, and the extfrag indices drop", () => {
    const { run, s } = session();
    fragment(s);
    const before = run(
      "mount -t debugfs debugfs /sys/kernel/debug; cat /proc/buddyinfo /sys/kernel/debug/extfrag/unusable_index /sys/kernel/debug/extfrag/extfrag_index",
    );
    const lines = before.slice(0, -1).split("\n");
    const zones = lines.length / 3;
    const expected = indices(lines.slice(0, zones).join("\n"));
    // cat itself may take a page or two between reading buddyinfo and the indices: the same
    // lines, each index within a few thousandths of what those buddyinfo counts give.
    const got = lines.slice(zones);
    const want = (expected.unusable + expected.extfrag).trimEnd().split("\n");
    const label = (l: string): string => l.trim().split(/\s+/).slice(0, 4).join(" ");
    expect(got.map(label)).toEqual(want.map(label));
    got.forEach((l, i) => {
      const a = l.trim().split(/\s+/).slice(4).map(Number);
      const b = want[i].trim().split(/\s+/).slice(4).map(Number);
      expect(a.length).toBe(b.length);
      for (const [j, x] of a.entries()) expect(x).toBeCloseTo(b[j], 2);
    });
    const v0 = vmstat(run, "^(compact_|pgmigrate)");
    run("echo 1 > /proc/sys/vm/compact_memory");
    const v1 = vmstat(run, "^(compact_|pgmigrate)");
    expect(Object.keys(v1)).toEqual([
      "pgmigrate_success",
      "pgmigrate_fail",
      "compact_migrate_scanned",
      "compact_free_scanned",
      "compact_isolated",
      "compact_stall",
      "compact_fail",
      "compact_success",
      "compact_daemon_wake",
      "compact_daemon_migrate_scanned",
      "compact_daemon_free_scanned",
    ]);
    expect(v1.pgmigrate_success - v0.pgmigrate_success).toBeGreaterThan(5000);
    expect(v1.compact_migrate_scanned).toBeGreaterThan(v0.compact_migrate_scanned);
    expect(v1.compact_free_scanned).toBeGreaterThan(v0.compact_free_scanned);
    expect(v1.compact_isolated - v0.compact_isolated).toBeGreaterThanOrEqual(
      2 * (v1.pgmigrate_success - v0.pgmigrate_success),
    );
    // compact_memory is not an allocation stall.
    expect(v1.compact_stall).toBe(v0.compact_stall);
    // Every page it isolated went back or was freed: the node's isolated counts are 0 again.
    expect(run("grep nr_isolated /proc/vmstat")).toBe("nr_isolated_anon 0\nnr_isolated_file 0\n");
    // The order-9 unusable index of the big zone (last buddyinfo line) fell.
    const order9 = (t: string): number => Number(t.trim().split("\n").at(-1)!.split(/\s+/)[4 + 9]);
    const after = run("cat /sys/kernel/debug/extfrag/unusable_index");
    expect(order9(after)).toBeLessThan(order9(lines.slice(zones, 2 * zones).join("\n")));
  });

  it("a high-order request that fails wakes kcompactd, which compacts for it", () => {
    const { run, s } = session();
    run("echo 0 > /proc/sys/vm/compaction_proactiveness"); // no proactive rounds in between
    fragment(s);
    expect(run("grep -E '^compact_daemon_wake' /proc/vmstat")).toBe("compact_daemon_wake 0\n");
    expect(run("pagealloc alloc 9 'GFP_NOWAIT|__GFP_NOWARN'")).toBe(
      "pagealloc: alloc 9 GFP_NOWAIT|__GFP_NOWARN: Cannot allocate memory\n",
    );
    run("sleep 1");
    const v = vmstat(run, "^compact_daemon");
    expect(v.compact_daemon_wake).toBe(1);
    expect(v.compact_daemon_migrate_scanned).toBeGreaterThan(0);
    expect(v.compact_daemon_free_scanned).toBeGreaterThan(0);
    // Now the request succeeds without waiting.
    expect(run("pagealloc -q alloc 9 'GFP_NOWAIT|__GFP_NOWARN'; echo rc=$?")).toMatch(
      /page_alloc_test: alloc order-9 at pfn 0x[0-9a-f]+ \(DMA32, [A-Za-z]+\)\n[\s\S]*rc=0\n$/,
    );
  });

  it("once woken, kcompactd goes on proactively until the score is down to the low mark", () => {
    const { run, s } = session();
    const k = s.m.k;
    // A fresh machine's free memory is in big blocks: its score is low.
    expect(fragmentation_score_node(k, 0)).toBeLessThan(fragmentation_score_wmark(k, true));
    fragment(s);
    expect(fragmentation_score_node(k, 0)).toBeGreaterThan(fragmentation_score_wmark(k, false));
    run("pagealloc alloc 9 'GFP_NOWAIT|__GFP_NOWARN'");
    run("sleep 1");
    // The request's own round stops at one free order-9 block; the proactive ones go on.
    expect(vmstat(run, "^compact_daemon_wake").compact_daemon_wake).toBe(1);
    expect(fragmentation_score_zone(k, big_zone(k))).toBeLessThanOrEqual(fragmentation_score_wmark(k, true));
    // Then it sleeps for good: the machine goes idle.
    run("sleep 2");
    expect(s.m.k.sched.timed.size).toBe(0);
  });

  it("does nothing proactive with compaction_proactiveness 0", () => {
    const { run, s } = session();
    expect(run("cat /proc/sys/vm/compaction_proactiveness")).toBe("20\n");
    run("echo 0 > /proc/sys/vm/compaction_proactiveness");
    fragment(s);
    run("sleep 2");
    expect(run("grep -E '^compact_daemon' /proc/vmstat")).toBe(
      "compact_daemon_wake 0\ncompact_daemon_migrate_scanned 0\ncompact_daemon_free_scanned 0\n",
    );
    // Writing a non-zero value starts a round at once.
    run("echo 20 > /proc/sys/vm/compaction_proactiveness");
    expect(vmstat(run, "^compact_daemon_migrate").compact_daemon_migrate_scanned).toBeGreaterThan(0);
  });
});
