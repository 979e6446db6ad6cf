/*
 * physmap.ts - physmap, an mmbox applet (no BusyBox counterpart): a picture
 * of physical memory, one character per cell of pages, per zone, from
 * /sys/kernel/debug/mmbox/pfn_map (kernel/mm/pfn_map.ts explains the
 * classes and how a cell gets its glyph).
 *
 *   / # physmap
 *   Node 0, zone DMA: pfn 0x60000-0x63fff (64 MiB), one cell = 16 pages (64 KiB)
 *     0x60000 ................................Fa..............XXXXXXXXXXXXXXXX
 *     ...
 *     free 27932K in the buddy lists (434 whole cells), 208K on per-CPU lists
 *     used anon 120K  page cache 5264K  slab 11320K (6660K reclaimable)
 *          page tables 36K  other kernel 2172K  reserved 18484K
 *   Legend: . free  P per-CPU lists  (blank: no RAM; lower case: ...)
 *
 * Fragmentation shows as free cells ('.') scattered among used ones and as
 * lower-case cells (mostly free, pinned by a few pages); after
 * `echo 1 > /proc/sys/vm/compact_memory` movable pages (A, F) gather at the
 * top of the zone and the free cells join up. -b adds the pageblocks'
 * migrate types (as /proc/pagetypeinfo counts them).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { ensure_debugfs, read_text } from "../libc/file.js";
import { bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `physmap [-b]

Draw physical memory, zone by zone, one character per cell of pages
(from /sys/kernel/debug/mmbox/pfn_map)

\t-b\tAlso show the migrate type of each pageblock`;

const FILE = "/sys/kernel/debug/mmbox/pfn_map";
const CELLS_PER_LINE = 64;

const LEGEND = `Legend: . free  P per-CPU lists  (blank: no RAM; lower case: the cell is mostly free)
        movable: A anon  F page cache          reclaimable: R slab
        unmovable: S slab  T page tables  K other kernel  X reserved
`;
const PAGEBLOCK_LEGEND =
  "Pageblocks: U Unmovable  M Movable  R Reclaimable  H HighAtomic  C CMA  I Isolate\n";

/** One zone as the kernel file gives it. */
interface ZoneMap {
  title: string;
  start: number;
  end: number;
  cellOrder: number;
  /** The first cell's pfn: cells are aligned to their size, so it may lie below start. */
  first: number;
  pageblockOrder: number;
  pages: Map<string, number>;
  cells: string;
  pageblocks: string;
}

function parse(text: string): ZoneMap[] {
  const zones: ZoneMap[] = [];
  let z: ZoneMap | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("Node ")) {
      const m = /^Node (\d+), zone +(\S+)/.exec(line)!;
      z = {
        title: `Node ${m[1]}, zone ${m[2]}`,
        start: 0,
        end: 0,
        cellOrder: 0,
        first: -1,
        pageblockOrder: 0,
        pages: new Map(),
        cells: "",
        pageblocks: "",
      };
      zones.push(z);
      continue;
    }
    if (!z) continue;
    const body = line.slice(2);
    let m = /^pfn 0x([0-9a-f]+)-0x([0-9a-f]+) cell_order (\d+) pageblock_order (\d+)$/.exec(body);
    if (m) {
      z.start = Number.parseInt(m[1], 16);
      z.end = Number.parseInt(m[2], 16) + 1;
      z.cellOrder = Number(m[3]);
      z.pageblockOrder = Number(m[4]);
    } else if (body.startsWith("pages ")) {
      const w = body.slice(6).split(" ");
      for (let i = 0; i + 1 < w.length; i += 2) z.pages.set(w[i], Number(w[i + 1]));
    } else if (body.startsWith("pageblocks ")) z.pageblocks = body.slice(11);
    else if ((m = /^0x([0-9a-f]+) (.*)$/.exec(body))) {
      if (z.first < 0) z.first = Number.parseInt(m[1], 16);
      z.cells += m[2];
    }
  }
  return zones;
}

/** 16 pages -> "64 KiB", 65536 -> "256 MiB". */
function size(pages: number): string {
  const kib = pages * 4;
  if (kib >= 1024 * 1024 && kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)} GiB`;
  if (kib >= 1024 && kib % 1024 === 0) return `${kib / 1024} MiB`;
  return `${kib} KiB`;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function draw(z: ZoneMap, blocks: boolean): string {
  const cell = 1 << z.cellOrder;
  const kb = (cls: string): string => `${(z.pages.get(cls) ?? 0) * 4}K`;
  let s = `${z.title}: pfn ${hex(z.start)}-${hex(z.end - 1)} (${size(z.end - z.start)}), one cell = ${cell} page${cell === 1 ? "" : "s"} (${size(cell)})\n`;
  for (let i = 0; i < z.cells.length; i += CELLS_PER_LINE)
    s += `  ${hex(z.first + i * cell)} ${z.cells.slice(i, i + CELLS_PER_LINE)}\n`.replace(/ +\n$/, "\n");
  if (blocks) {
    const per = 1 << z.pageblockOrder;
    s += `  pageblocks of ${per} pages (${size(per)}):\n`;
    for (let i = 0; i < z.pageblocks.length; i += CELLS_PER_LINE)
      s += `  ${hex(z.start - (z.start % per) + i * per)} ${z.pageblocks.slice(i, i + CELLS_PER_LINE)}\n`;
  }
  const freeCells = z.cells.split("").filter((c) => c === ".").length;
  const slab = (z.pages.get("slab") ?? 0) + (z.pages.get("slab_reclaimable") ?? 0);
  s += `  free ${kb("free")} in the buddy lists (${freeCells} whole cell${freeCells === 1 ? "" : "s"}), ${kb("pcp")} on per-CPU lists\n`;
  s += `  used anon ${kb("anon")}  page cache ${kb("file")}  slab ${slab * 4}K (${kb("slab_reclaimable")} reclaimable)\n`;
  s += `       page tables ${kb("pagetable")}  other kernel ${kb("kernel")}  reserved ${kb("reserved")}\n`;
  return s;
}

function* physmap_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "b", USAGE);
  if (!o) return 1;
  yield* ensure_debugfs(FILE);
  const text = yield* read_text(FILE);
  if (typeof text === "number") {
    yield* bb_perror_msg("physmap", `can't open '${FILE}'`, text);
    return 1;
  }
  const blocks = o.has("b");
  let out = "";
  for (const z of parse(text)) out += draw(z, blocks);
  yield* puts(1, out + LEGEND + (blocks ? PAGEBLOCK_LEGEND : ""));
  return 0;
}

export const physmap: Applet = { name: "physmap", dir: "/usr/bin", usage: USAGE, main: physmap_main };
