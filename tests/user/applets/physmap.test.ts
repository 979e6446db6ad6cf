/*
 * physmap and /sys/kernel/debug/mmbox/pfn_map: the map's classes agree with
 * the allocator's own books (buddyinfo, the per-CPU lists, meminfo), and
 * the whole picture of a small machine is fixed (golden/physmap-64M.out,
 * rewritten by scripts/record-mm-goldens.sh after a reviewed change).
 */

import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { load_rootfs } from "../../../src/host/rootfs.js";
import {
  NR_PAGETABLE,
  NR_SLAB_RECLAIMABLE_B,
  NR_SLAB_UNRECLAIMABLE_B,
} from "../../../src/kernel/mm/mmzone.js";
import { PFN_FREE, PFN_PCP, pfn_class_names, pfn_map } from "../../../src/kernel/mm/pfn_map.js";
import { session, sh } from "../../helpers/machine.js";
import { badopt } from "./util.js";

const MiB = 1024 * 1024;
const GOLDEN = new URL("./golden/physmap-64M.out", import.meta.url);

/**
 * What the golden machine boots from: the files init and the shell need and
 * physmap, nothing else, so that new files in rootfs/ (labs, programs) and
 * new applets, which take pages of their own, leave the picture alone.
 */
const KEEP = new Set(
  "/bin /dev /etc /etc/init.d /proc /root /sbin /sys /tmp /usr /usr/bin /init /bin/busybox /etc/inittab /etc/init.d/rcS /etc/passwd /etc/group /bin/sh /bin/cttyhack /bin/mount /bin/umount /sbin/init /sbin/reboot /usr/bin/physmap".split(
    " ",
  ),
);
const goldenImage = (): ReturnType<typeof load_rootfs> => load_rootfs().filter((e) => KEEP.has(e.path));

/** The numbers of one zone of the debugfs file. */
function fileZones(text: string): { name: string; pages: Map<string, number>; cells: string }[] {
  const zones: { name: string; pages: Map<string, number>; cells: string }[] = [];
  for (const line of text.split("\n")) {
    const head = /^Node \d+, zone +(\S+)$/.exec(line);
    if (head) zones.push({ name: head[1], pages: new Map(), cells: "" });
    const z = zones[zones.length - 1];
    if (line.startsWith("  pages ")) {
      const w = line.slice(8).split(" ");
      for (let i = 0; i < w.length; i += 2) z.pages.set(w[i], Number(w[i + 1]));
    }
    const row = /^ {2}0x[0-9a-f]+ (.*)$/.exec(line);
    if (row) z.cells += row[1];
  }
  return zones;
}

describe("pfn_map", () => {
  it.each([
    ["vexpress-a9", 64 * MiB],
    ["vexpress-a9", 1024 * MiB],
    ["pc", 512 * MiB],
  ] as const)(
    "on %s with %i bytes agrees with free_area, the pcp lists and the slab and table counters",
    (machine, memory) => {
      const s = session({ machine, memory });
      s.line("memhog 8M > /dev/null; cat /etc/passwd > /dev/null");
      const k = s.m.k;
      const maps = pfn_map(k);
      expect(maps.map((m) => m.name)).toEqual(k.zones.filter((z) => z.populated_zone()).map((z) => z.name));
      let slab = 0;
      let slabReclaimable = 0;
      let tables = 0;
      for (const m of maps) {
        const z = k.zones.find((zz) => zz.node === m.node && zz.name === m.name)!;
        const buddy = Array.from(z.nr_free).reduce((a, n, o) => a + (n << o), 0);
        expect(m.pages[PFN_FREE]).toBe(buddy);
        expect(m.pages[PFN_PCP]).toBe(z.pageset.reduce((a, p) => a + p.count, 0));
        expect(m.pages.reduce((a, b) => a + b, 0)).toBe(z.spanned_pages);
        // A cell is '.' exactly when free blocks of at least its order cover it.
        const c = m.cell_order;
        const wholeCells = Array.from(z.nr_free).reduce((a, n, o) => a + (o >= c ? n << (o - c) : 0), 0);
        expect(m.cells.split("").filter((g) => g === ".").length).toBe(wholeCells);
        slab += m.pages[pfn_class_names.indexOf("slab")];
        slabReclaimable += m.pages[pfn_class_names.indexOf("slab_reclaimable")];
        tables += m.pages[pfn_class_names.indexOf("pagetable")];
      }
      const node = k.nodes[0];
      expect(slabReclaimable).toBe(node.vm_stat[NR_SLAB_RECLAIMABLE_B]);
      // kmalloc_large pages count as unreclaimable slab but are not PageSlab.
      expect(slab).toBe(node.vm_stat[NR_SLAB_UNRECLAIMABLE_B] - k.slab.nr_large_pages);
      expect(tables).toBe(node.vm_stat[NR_PAGETABLE]);
    },
  );

  it.each([
    ["vexpress-a9", 64 * MiB],
    ["pc", 512 * MiB],
  ] as const)(
    "as read by cat on %s with %i bytes: free is buddyinfo's and MemFree, anon and file meminfo's",
    (machine, memory) => {
      // One cat reads the files twice with the buffer it already has; the first pass
      // allocates the files' inodes and dentries, the second sees a still machine.
      const files = "/sys/kernel/debug/mmbox/pfn_map /proc/buddyinfo /proc/meminfo";
      const { output: both } = sh(`mount -t debugfs debugfs /sys/kernel/debug; cat ${files} ${files}`, {
        machine,
        memory,
      });
      const output = both.slice(both.indexOf(both.slice(0, both.indexOf("\n")), 1));
      const buddy = output
        .split("\n")
        .filter((l) => /^Node \d+, zone +\S+ +\d/.test(l))
        .map((l) =>
          l
            .trim()
            .split(/\s+/)
            .slice(4)
            .map(Number)
            .reduce((a, n, o) => a + n * 2 ** o, 0),
        );
      const zones = fileZones(output);
      expect(zones.map((z) => z.pages.get("free"))).toEqual(buddy.filter((_, i) => i < zones.length));
      const kb = (field: string): number => Number(new RegExp(`${field}: +(\\d+) kB`).exec(output)![1]);
      const sum = (cls: string): number => zones.reduce((a, z) => a + z.pages.get(cls)! * 4, 0);
      expect(sum("free")).toBe(kb("MemFree"));
      // Without swap, anonymous pages are all mapped, and the page cache is Buffers + Cached.
      expect(sum("anon")).toBe(kb("AnonPages"));
      expect(sum("file")).toBe(kb("Buffers") + kb("Cached") + kb("SwapCached"));
    },
  );
});

describe("physmap", () => {
  it("draws a 64 MiB machine", () => {
    const image = goldenImage();
    expect(image.length).toBe(KEEP.size);
    const out = sh("physmap -b", { memory: 64 * MiB, rootfs: image }).output;
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, out);
    expect(out).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("shows compaction gathering scattered page cache at the top of the zone", () => {
    const s = session({ memory: 64 * MiB });
    // 600 one-page files in tmpfs, every other one removed: page cache with holes between.
    s.line("for i in $(seq 1 600); do echo $i > /tmp/f$i; done; rm /tmp/f*[02468]");
    const picture = (): { whole: number; partial: number } => {
      s.line("physmap");
      const out = s.take();
      const cells = [...out.matchAll(/^ {2}0x[0-9a-f]+ (.*)$/gm)].map((m) => m[1]).join("");
      return {
        whole: Number(/\((\d+) whole cells?\)/.exec(out)![1]),
        partial: cells.replace(/[^a-z]/g, "").length,
      };
    };
    const before = picture();
    s.line("echo 1 > /proc/sys/vm/compact_memory");
    const after = picture();
    expect(after.whole).toBeGreaterThan(before.whole);
    expect(after.partial).toBeLessThan(before.partial);
    s.line("cat /tmp/f1 /tmp/f299 /tmp/f599");
    expect(s.take()).toBe("1\n299\n599\n");
    s.m.checkInvariants();
  });

  it("labels rows with aligned pfns where a zone starts off alignment (x86's DMA at pfn 1)", () => {
    const out = sh("physmap -b", { machine: "pc", memory: 512 * MiB }).output.split("\n");
    const dma = out.indexOf("Node 0, zone DMA: pfn 0x1-0xfff (16380 KiB), one cell = 128 pages (512 KiB)");
    expect(dma).toBeGreaterThanOrEqual(0);
    expect(out[dma + 1]).toMatch(/^ {2}0x0 [.PAFRSTKX paf rstkx]{32}$/);
    expect(out.slice(dma + 2, dma + 6)).toEqual([
      "  pageblocks of 512 pages (2 MiB):",
      expect.stringMatching(/^ {2}0x0 [UMRHCI]{8}$/),
      expect.stringMatching(/^ {2}free \d+K in the buddy lists/),
      expect.stringMatching(/^ {2}used anon/),
    ]);
  });

  it("fails on a bad option with the usage; mounts debugfs when the boot has not", () => {
    expect(sh("physmap -x; echo rc=$?").output).toBe(`${badopt("physmap", "x")}rc=1\n`);
    expect(sh("mount | grep -c debugfs; physmap > /dev/null; mount | grep debugfs").output).toBe(
      "0\ndebugfs on /sys/kernel/debug type debugfs (rw,relatime)\n",
    );
  });
});
