/*
 * highmem.test.ts - temporary mappings of HighMem pages on vexpress-a9:
 * kmap through the 512 pkmap entries (shared by two users of one page,
 * flushed together when the search wraps around), kmap_local through this
 * CPU's fixmap slots, nothing at all for lowmem; and the page cache and
 * pipe paths that touch HighMem bytes through them.
 */

import { describe, expect, it } from "vitest";
import { GFP_HIGHUSER, GFP_KERNEL } from "../../../src/kernel/mm/gfp.js";
import {
  kmap,
  kmap_local_page,
  kunmap,
  kunmap_local,
  LAST_PKMAP,
  PageHighMem,
} from "../../../src/kernel/mm/highmem.js";
import { __free_pages, alloc_pages } from "../../../src/kernel/mm/page_alloc.js";
import { booted, session } from "../../helpers/machine.js";

describe("kmap", () => {
  it("maps HighMem pages into the pkmap area, shares an entry, and flushes unused entries on wrap-around", () => {
    const k = booted({ memory: 1024 * 2 ** 20 }).k;
    const pages = Array.from({ length: LAST_PKMAP + 10 }, () => alloc_pages(k, GFP_HIGHUSER, 0));
    expect(pages.every((p) => PageHighMem(k, p))).toBe(true);
    const a = kmap(k, pages[0]);
    expect(a).toBe(0xbfe00000 + 4096); // entry 0 is skipped at first: the search starts after last_pkmap_nr
    expect(kmap(k, pages[0])).toBe(a); // a second user of the same page
    kunmap(k, pages[0]);
    kunmap(k, pages[0]);
    for (const p of pages) {
      const v = kmap(k, p);
      expect(v >= 0xbfe00000 && v < 0xc0000000).toBe(true);
      kunmap(k, p);
    }
    expect(k.pkmap.nr_flush).toBe(1);
    expect([k.pkmap.nr_kmap, k.pkmap.nr_kunmap]).toEqual([LAST_PKMAP + 12, LAST_PKMAP + 12]);
    for (const p of pages) __free_pages(k, p, 0);
  });

  it("kmap_local uses this CPU's fixmap slots in stack order; lowmem needs no mapping", () => {
    const k = booted({ memory: 1024 * 2 ** 20 }).k;
    const [h1, h2] = [alloc_pages(k, GFP_HIGHUSER, 0), alloc_pages(k, GFP_HIGHUSER, 0)];
    const low = alloc_pages(k, GFP_KERNEL, 0);
    k.cpu = 2;
    const v1 = kmap_local_page(k, h1);
    const v2 = kmap_local_page(k, h2);
    expect([v1, v2]).toEqual([0xffeff000 - (1 + 32) * 4096, 0xffeff000 - (2 + 32) * 4096]);
    expect(kmap_local_page(k, low)).toBe(0xc0000000 + (low * 4096 - 0x60000000));
    kunmap_local(k, h2);
    kunmap_local(k, h1);
    expect(k.pkmap.kmap_local[2]).toEqual([]);
    k.cpu = 0;
  });
});

describe("HighMem bytes", () => {
  it("pipe buffers (GFP_HIGHUSER) are written and read through kmap_local", () => {
    const s = session({ memory: 1024 * 2 ** 20 });
    s.line("mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null; cat /sys/kernel/debug/highmem");
    const before = s.take();
    s.line("echo hello | cat");
    expect(s.take()).toBe("hello\n");
    const count = (t: string, what: string): number =>
      Number(new RegExp(`^${what}:\\s+(\\d+)`, "m").exec(t)![1]);
    s.line("mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null; cat /sys/kernel/debug/highmem");
    const after = s.take();
    expect(count(after, "kmap_local") - count(before, "kmap_local")).toBeGreaterThanOrEqual(2);
    expect(count(after, "kmap_local")).toBe(count(after, "kunmap_local"));
    expect(after.split("\n").map((l) => l.split(":")[0])).toEqual([
      "pkmap entries",
      "pkmap entries in use",
      "pkmap entries mapped",
      "pkmap flushes",
      "kmap",
      "kunmap",
      "kmap_local",
      "kunmap_local",
      "lowmem pages (no map)",
      "",
    ]);
  });
});
