/*
 * format.ts - mmbox's kernel module files: a small text stand-in for an
 * ELF .ko, parsed by load_module (Linux kernel/module/main.c reads ELF
 * sections; these files say directly what the module's init does).
 *
 * A module file is text. The first line is the "ELF header" (the magic
 * mmbox's exec uses too); then one directive per line, '#' starts a comment:
 *
 *   \x7fELF mmbox-module          magic ("\x7fELF mmbox-exec" is a program)
 *   name     demo                 the module's name (default: the file name)
 *   license  GPL                  not GPL-compatible: taints P
 *   description  Allocates things  (modinfo text)
 *   size     16K                  core: .text+.rodata+.data (modules area)
 *   init_size 4K                  .init.text, freed once init has run
 *   param    count 4              an int parameter and its default
 *
 * then what init does, in order (exit undoes it in reverse):
 *
 *   kmalloc  SIZE [COUNT] [GFP]   COUNT objects of kmalloc(SIZE, GFP_KERNEL|GFP)
 *                                 (GFP: ACCOUNT, RECLAIMABLE or DMA)
 *   cache    NAME SIZE [FLAG...]  kmem_cache_create (FLAGs: HWCACHE_ALIGN,
 *                                 RECLAIM_ACCOUNT, ACCOUNT, CACHE_DMA, PANIC;
 *                                 CTOR gives it a constructor: never merged)
 *   alloc    NAME [COUNT]         COUNT objects from the module's cache NAME
 *   vmalloc  SIZE                 a vmalloc buffer
 *   leak     kmalloc SIZE [COUNT] objects exit never frees
 *   leak     alloc NAME [COUNT]   objects of NAME exit never frees (the cache
 *                                 then cannot be destroyed at rmmod)
 *   overflow SIZE BYTES           kmalloc(SIZE), write BYTES bytes at its
 *                                 end (past the object), kfree it
 *   use_after_free SIZE           kmalloc(SIZE), kfree, write to it, kmalloc(SIZE)
 *   double_free SIZE              kmalloc(SIZE), kfree twice
 *   printk   TEXT                 pr_info(TEXT)
 *   fail     ERRNO                init returns -ERRNO (e.g. ENOMEM, EINVAL)
 *
 * COUNT may be $param. Sizes take K and M suffixes. A file that does not
 * start with the magic, or a malformed line, is an invalid module (ENOEXEC),
 * as a bad ELF file is; an unknown directive is an unknown symbol (ENOENT).
 */

import {
  SLAB_ACCOUNT,
  SLAB_CACHE_DMA,
  SLAB_HWCACHE_ALIGN,
  SLAB_PANIC,
  SLAB_RECLAIM_ACCOUNT,
} from "../mm/slab.js";

export const MODULE_MAGIC = "\x7fELF mmbox-module";
export const ELFMAG = "\x7fELF";

export type Op =
  | { op: "kmalloc"; size: number; count: string; gfp: string; leak: boolean }
  | { op: "cache"; name: string; size: number; flags: number; ctor: boolean }
  | { op: "alloc"; name: string; count: string; leak: boolean }
  | { op: "vmalloc"; size: number }
  | { op: "overflow"; size: number; bytes: number }
  | { op: "use_after_free"; size: number }
  | { op: "double_free"; size: number }
  | { op: "printk"; text: string }
  | { op: "fail"; errno: string };

export interface ModuleImage {
  name: string;
  license: string;
  description: string;
  size: number;
  init_size: number;
  params: Map<string, number>;
  ops: Op[];
}

const cache_flags: Record<string, number> = {
  HWCACHE_ALIGN: SLAB_HWCACHE_ALIGN,
  RECLAIM_ACCOUNT: SLAB_RECLAIM_ACCOUNT,
  ACCOUNT: SLAB_ACCOUNT,
  CACHE_DMA: SLAB_CACHE_DMA,
  PANIC: SLAB_PANIC,
};

/** A size with an optional K or M suffix; NaN when malformed. */
export function parse_size(s: string): number {
  const m = /^(\d+)([KkMm]?)$/.exec(s);
  if (!m) return Number.NaN;
  const mult = m[2] === "" ? 1 : m[2].toUpperCase() === "K" ? 1024 : 1 << 20;
  return Number(m[1]) * mult;
}

function count_ok(s: string): boolean {
  return /^\d+$/.test(s) || /^\$[A-Za-z_]\w*$/.test(s);
}

/** The parsed image, or why the file is not a module: the kernel log line and the errno. */
export type ParseResult =
  | { ok: true; image: ModuleImage }
  | { ok: false; log: string; errno: "ENOEXEC" | "ENOENT" };

/** Parses a module file; `fallback` names it when it has no name line. */
export function parse_module(text: string, fallback: string): ParseResult {
  if (!text.startsWith(ELFMAG))
    return { ok: false, log: `Invalid ELF header magic: != ${ELFMAG}`, errno: "ENOEXEC" };
  if (!text.startsWith(MODULE_MAGIC))
    return { ok: false, log: "Invalid ELF header type: 2 != 1", errno: "ENOEXEC" };
  const img: ModuleImage = {
    name: fallback,
    license: "",
    description: "",
    size: 4096,
    init_size: 4096,
    params: new Map(),
    ops: [],
  };
  const bad = (n: number): ParseResult => ({
    ok: false,
    log: `${img.name}: invalid module section at line ${n + 1}`,
    errno: "ENOEXEC",
  });
  const lines = text.split("\n");
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n].replace(/#.*$/, "").trim();
    if (!line) continue;
    const [word, ...a] = line.split(/\s+/);
    const size = (s: string | undefined): number => (s === undefined ? Number.NaN : parse_size(s));
    switch (word) {
      case "name":
        if (a.length !== 1 || !/^[\w-]{1,55}$/.test(a[0])) return bad(n);
        img.name = a[0].replace(/-/g, "_");
        break;
      case "license":
        img.license = a.join(" ");
        break;
      case "description":
        img.description = a.join(" ");
        break;
      case "size":
      case "init_size": {
        const v = size(a[0]);
        if (!(v > 0)) return bad(n);
        if (word === "size") img.size = v;
        else img.init_size = v;
        break;
      }
      case "param":
        if (a.length !== 2 || !/^[A-Za-z_]\w*$/.test(a[0]) || !/^-?\d+$/.test(a[1])) return bad(n);
        img.params.set(a[0], Number(a[1]));
        break;
      case "kmalloc":
      case "leak": {
        const leak = word === "leak";
        const args = leak ? a.slice(1) : a;
        if (leak && a[0] === "alloc") {
          if (!args[0] || (args[1] && !count_ok(args[1]))) return bad(n);
          img.ops.push({ op: "alloc", name: args[0], count: args[1] ?? "1", leak });
          break;
        }
        if (leak && a[0] !== "kmalloc") return bad(n);
        const s = size(args[0]);
        const count = args[1] ?? "1";
        const gfp = args[2] ?? "";
        if (!(s >= 0) || !count_ok(count) || !["", "ACCOUNT", "RECLAIMABLE", "DMA"].includes(gfp))
          return bad(n);
        img.ops.push({ op: "kmalloc", size: s, count, gfp, leak });
        break;
      }
      case "cache": {
        const s = size(a[1]);
        if (!a[0] || !(s > 0)) return bad(n);
        let flags = 0;
        let ctor = false;
        for (const f of a.slice(2)) {
          if (f === "CTOR") ctor = true;
          else if (f in cache_flags) flags |= cache_flags[f];
          else return bad(n);
        }
        img.ops.push({ op: "cache", name: a[0], size: s, flags, ctor });
        break;
      }
      case "alloc":
        if (!a[0] || (a[1] && !count_ok(a[1]))) return bad(n);
        img.ops.push({ op: "alloc", name: a[0], count: a[1] ?? "1", leak: false });
        break;
      case "vmalloc": {
        const s = size(a[0]);
        if (!(s > 0)) return bad(n);
        img.ops.push({ op: "vmalloc", size: s });
        break;
      }
      case "overflow": {
        const s = size(a[0]);
        const b = size(a[1]);
        if (!(s > 0) || !(b > 0)) return bad(n);
        img.ops.push({ op: "overflow", size: s, bytes: b });
        break;
      }
      case "use_after_free":
      case "double_free": {
        const s = size(a[0]);
        if (!(s > 0)) return bad(n);
        img.ops.push({ op: word, size: s });
        break;
      }
      case "printk":
        img.ops.push({ op: "printk", text: a.join(" ") });
        break;
      case "fail":
        if (!/^E[A-Z]+$/.test(a[0] ?? "")) return bad(n);
        img.ops.push({ op: "fail", errno: a[0] });
        break;
      default:
        // A directive the loader does not know is like a symbol the kernel does not export.
        return { ok: false, log: `${img.name}: Unknown symbol ${word} (err -2)`, errno: "ENOENT" };
    }
  }
  return { ok: true, image: img };
}
