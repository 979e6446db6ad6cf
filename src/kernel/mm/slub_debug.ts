/*
 * slub_debug.ts - SLUB's debugging (the CONFIG_SLUB_DEBUG half of Linux
 * mm/slub.c, 6.1): the slub_debug= parameter, red zones and poisoning,
 * allocation and free checks, and the "BUG <cache>" reports.
 *
 * A cache with debugging keeps real bytes for its slabs, laid out as SLUB
 * lays them out (calculate_sizes in slub.ts):
 *
 *   | left red zone | object (poison 6b..6b a5) | right red zone | fp | tracks | pad 5a |
 *     bb free / cc allocated                      bb / cc
 *
 * Allocation checks the object still carries its free pattern (a write
 * after free shows as "Poison overwritten"); free checks it is not on the
 * free list already ("Object already free") and that its red zones are
 * intact ("Right Redzone overwritten"). A failed check prints the report of
 * slab_bug/print_trailer, taints the kernel (B) and leaves the object where
 * it was: the machine keeps running, as Linux does.
 *
 * Pointers print unhashed: slub_debug makes the kernel announce
 * "no_hash_pointers" at boot, as 6.1 does. Simplified: the free pointer is
 * written into the bytes but not validated ("Freepointer corrupt" cannot
 * happen), track records keep a caller name and no stack depot entry, and
 * dump_stack prints function names without addresses.
 */

import type { Kernel } from "../kernel.js";
import { BUG } from "../lib/bug.js";
import { add_taint, dump_stack, print_tainted, TAINT_BAD_PAGE } from "../lib/panic.js";
import { KERN_ERR, KERN_INFO, KERN_WARNING } from "../lib/printk.js";
import { PG_head } from "./mm_types.js";
import { page_zone } from "./page_alloc.js";
import {
  __OBJECT_POISON,
  type KmemCache,
  SLAB_CONSISTENCY_CHECKS,
  SLAB_FAILSLAB,
  SLAB_NO_USER_FLAGS,
  SLAB_NOLEAKTRACE,
  SLAB_POISON,
  SLAB_RED_ZONE,
  SLAB_STORE_USER,
  SLAB_TRACE,
  type Slab,
  type Track,
} from "./slab.js";

/* Poison values (include/linux/poison.h). */
export const SLUB_RED_INACTIVE = 0xbb; // red zone of a free object
export const SLUB_RED_ACTIVE = 0xcc; // red zone of an allocated object
export const POISON_INUSE = 0x5a; // padding, and objects never touched
export const POISON_FREE = 0x6b; // a free object's bytes
export const POISON_END = 0xa5; // the last byte of a free object

export const DEBUG_DEFAULT_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

/* ------------------------------------------------------------------ */
/* slub_debug=                                                          */
/* ------------------------------------------------------------------ */

/** parse_slub_debug_flags: the letters of one block; -1 for "-" (debugging off). */
function parse_flags(k: Kernel, str: string): number {
  if (str === "") return DEBUG_DEFAULT_FLAGS;
  let flags = 0;
  for (const ch of str.toLowerCase()) {
    switch (ch) {
      case "-":
        return 0;
      case "f":
        flags |= SLAB_CONSISTENCY_CHECKS;
        break;
      case "z":
        flags |= SLAB_RED_ZONE;
        break;
      case "p":
        flags |= SLAB_POISON;
        break;
      case "u":
        flags |= SLAB_STORE_USER;
        break;
      case "t":
        flags |= SLAB_TRACE;
        break;
      case "a":
        flags |= SLAB_FAILSLAB;
        break;
      case "o":
        k.slab.disable_higher_order_debug = true;
        break;
      default:
        k.printk.printk(KERN_ERR, `slub_debug option '${ch}' unknown. skipped`);
    }
  }
  return flags;
}

/**
 * setup_slub_debug: "slub_debug" alone turns on F, Z, P and U for every
 * cache; "slub_debug=FZ" picks the letters; "slub_debug=P,kmalloc-64,dentry"
 * limits them to some caches (a trailing * matches a prefix); blocks are
 * separated by ';'.
 */
export function setup_slub_debug(k: Kernel): void {
  const v = k.params.get("slub_debug");
  const st = k.slab;
  if (v === undefined) return;
  st.debug_flags = 0;
  st.debug_blocks = [];
  for (const block of v.split(";")) {
    const [letters, ...caches] = block.split(",");
    const flags = parse_flags(k, letters);
    if (caches.filter(Boolean).length) st.debug_blocks.push({ flags, caches: caches.filter(Boolean) });
    else st.debug_flags |= flags;
  }
  if (st.debug_flags & SLAB_POISON || st.debug_blocks.some((b) => b.flags & SLAB_POISON))
    k.printk.printk(
      KERN_INFO,
      "mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free",
    );
}

/** kmem_cache_flags: the slub_debug flags a new cache named `name` gets. */
export function kmem_cache_flags(k: Kernel, flags: number, name: string): number {
  if (flags & SLAB_NO_USER_FLAGS) return flags;
  const st = k.slab;
  let local = st.debug_flags;
  if (flags & SLAB_NOLEAKTRACE) local &= ~SLAB_STORE_USER;
  for (const b of st.debug_blocks)
    for (const c of b.caches) {
      const glob = c.endsWith("*");
      if (glob ? name.startsWith(c.slice(0, -1)) : name === c) return flags | b.flags;
    }
  return flags | local;
}

export function slub_debug_enabled(k: Kernel): boolean {
  return k.slab.debug_flags !== 0 || k.slab.debug_blocks.length > 0;
}

/** no_hash_pointers_enable: the banner 6.1 prints when slub_debug is on. */
export function no_hash_pointers_enable(k: Kernel): void {
  const w = (s: string): void => k.printk.printk(KERN_WARNING, s);
  w("**********************************************************");
  w("**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **");
  w("**                                                      **");
  w("** This system shows unhashed kernel memory addresses   **");
  w("** via the console, logs, and other interfaces. This    **");
  w("** might reduce the security of your system.            **");
  w("**                                                      **");
  w("** If you see this message and you are not debugging    **");
  w("** the kernel, report this immediately to your system   **");
  w("** administrator!                                       **");
  w("**                                                      **");
  w("**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **");
  w("**********************************************************");
  k.slab.no_hash_pointers = true;
}

/* ------------------------------------------------------------------ */
/* Addresses as %p prints them                                          */
/* ------------------------------------------------------------------ */

/** struct track is 32 bytes on 64-bit kernels (with the stack depot handle), 20 on 32-bit. */
export function track_size(k: Kernel): number {
  return k.profile.pointerBits === 64 ? 32 : 20;
}

/** The linear-map (lowmem) virtual address of a physical address. */
export function phys_to_virt(k: Kernel, phys: number): bigint {
  const p = k.profile;
  if (p.arch === "arm") return BigInt(p.vmsplit!.pageOffset + (phys - p.ramBase));
  if (p.arch === "x86_64") return 0xffff888000000000n + BigInt(phys);
  return 0xffff000000000000n + BigInt(phys - p.ramBase);
}

/** The address of a pfn's struct page (the "Slab 0x..." of reports). */
export function page_struct_va(k: Kernel, pfn: number): bigint {
  const p = k.profile;
  if (p.arch === "x86_64") return 0xffffea0000000000n + BigInt(pfn) * 64n;
  if (p.arch === "arm64") return 0xfffffc0000000000n + BigInt(pfn - p.ramBase / 4096) * 64n;
  const mm = k.memblock.reserved.find((r) => r.name === "mem_map");
  const base = mm ? phys_to_virt(k, mm.base) : BigInt(p.vmsplit!.pageOffset);
  return base + BigInt((pfn - p.ramBase / 4096) * p.structPageSize);
}

/** %p: the raw pointer, zero-padded to its width (no_hash_pointers), or the placeholder. */
export function pr_ptr(k: Kernel, va: bigint): string {
  const w = k.profile.pointerBits / 4;
  if (!k.slab.no_hash_pointers) return w === 8 ? "(ptrval)" : "(____ptrval____)";
  return BigInt.asUintN(k.profile.pointerBits, va).toString(16).padStart(w, "0");
}

function obj_va(k: Kernel, addr: number): bigint {
  return addr === 0 ? 0n : phys_to_virt(k, addr);
}

/*
 * %pGp of a slab's first page: Linux's page flag bits (PG_slab is bit 9,
 * PG_head bit 16) with the node, zone and last_cpupid fields above them.
 */
const PGP_LAYOUT = {
  arm: { node: 0, zone: 2, cpupid: 0 },
  x86_64: { node: 10, zone: 3, cpupid: 21 },
  arm64: { node: 4, zone: 2, cpupid: 16 },
} as const;

export function format_slab_page_flags(k: Kernel, slab: Slab): string {
  const lay = PGP_LAYOUT[k.profile.arch];
  const bits = BigInt(k.profile.pointerBits);
  const zone = BigInt(page_zone(k, slab.pfn).zone_idx);
  const node = BigInt(slab.node);
  const head = (k.mem.flags[slab.pfn] & PG_head) !== 0;
  const nodeShift = bits - BigInt(lay.node);
  const zoneShift = nodeShift - BigInt(lay.zone);
  const cpupidShift = zoneShift - BigInt(lay.cpupid);
  let v = (1n << 9n) | (head ? 1n << 16n : 0n) | (zone << zoneShift);
  if (lay.node) v |= node << nodeShift;
  const cpupid = (1n << BigInt(lay.cpupid)) - 1n;
  if (lay.cpupid) v |= cpupid << cpupidShift;
  let s = `0x${v.toString(16)}(slab${head ? "|head" : ""}`;
  if (lay.node) s += `|node=${node}`;
  s += `|zone=${zone}`;
  if (lay.cpupid) s += `|lastcpupid=0x${cpupid.toString(16)}`;
  return `${s})`;
}

/* ------------------------------------------------------------------ */
/* Reports                                                              */
/* ------------------------------------------------------------------ */

function err(k: Kernel, s: string): void {
  k.printk.printk(KERN_ERR, s);
}

/** slab_bug: the banner of every report. */
function slab_bug(k: Kernel, s: KmemCache, msg: string): void {
  err(k, "=============================================================================");
  err(k, `BUG ${s.name} (${print_tainted(k)}): ${msg}`);
  err(k, "-----------------------------------------------------------------------------");
  err(k, "");
  k.slab.bug_count++;
}

/** slab_fix: what SLUB did about it. */
function slab_fix(k: Kernel, s: KmemCache, msg: string): void {
  err(k, `FIX ${s.name}: ${msg}`);
}

/** The call chain of the current report (set by whoever called into the allocator). */
function report_trace(k: Kernel, inner: string[]): string[] {
  return [...inner, ...k.slab.caller_trace];
}

/** print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ascii) of len bytes at off in the slab. */
function print_section(k: Kernel, slab: Slab, text: string, off: number, len: number): void {
  const mem = slab.debug!.mem;
  const start = slab.pfn * 4096;
  for (let i = 0; i < len; i += 16) {
    const n = Math.min(16, len - i);
    let hex = "";
    let ascii = "";
    for (let j = 0; j < n; j++) {
      const b = mem[off + i + j];
      hex += `${b.toString(16).padStart(2, "0")} `;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
    }
    hex = hex.slice(0, -1).padEnd(49, " ");
    err(k, `${text}${pr_ptr(k, phys_to_virt(k, start + off + i))}: ${hex}${ascii}`);
  }
}

function print_track(k: Kernel, what: string, t: Track | null): void {
  if (!t) return;
  err(k, `${what} in ${t.addr} age=${k.clock.jiffies - t.when} cpu=${t.cpu} pid=${t.pid}`);
  for (const fn of t.stack) err(k, ` ${fn}`);
}

function print_tracking(k: Kernel, s: KmemCache, slab: Slab, idx: number): void {
  if (!(s.flags & SLAB_STORE_USER)) return;
  print_track(k, "Allocated", slab.debug!.alloc[idx]);
  print_track(k, "Freed", slab.debug!.free[idx]);
}

function print_slab_info(k: Kernel, slab: Slab): void {
  const fp = slab.freelist < 0 ? 0 : slab.base + slab.freelist * slab.cache.size;
  err(
    k,
    `Slab 0x${pr_ptr(k, page_struct_va(k, slab.pfn))} objects=${slab.objects} used=${slab.inuse} fp=0x${pr_ptr(k, obj_va(k, fp))} flags=${format_slab_page_flags(k, slab)}`,
  );
}

/** Offset of object idx (its first byte, after the left red zone) in the slab's bytes. */
function obj_off(s: KmemCache, idx: number): number {
  return idx * s.size + s.red_left_pad;
}

/** get_info_end: where the metadata after the object ends (before the tracks). */
function get_info_end(k: Kernel, s: KmemCache): number {
  return s.offset >= s.inuse ? s.inuse + k.profile.pointerBits / 8 : s.inuse;
}

function size_from_object(s: KmemCache): number {
  return s.flags & SLAB_RED_ZONE ? s.size - s.red_left_pad : s.size;
}

/** The free pointer stored in the object (next free object's address, or 0). */
function get_freepointer(k: Kernel, s: KmemCache, slab: Slab, idx: number): bigint {
  const mem = slab.debug!.mem;
  const at = obj_off(s, idx) + s.offset;
  let v = 0n;
  for (let i = k.profile.pointerBits / 8 - 1; i >= 0; i--) v = (v << 8n) | BigInt(mem[at + i]);
  return v;
}

function set_freepointer(k: Kernel, s: KmemCache, slab: Slab, idx: number, next: number): void {
  const mem = slab.debug!.mem;
  const at = obj_off(s, idx) + s.offset;
  let v = next < 0 ? 0n : obj_va(k, slab.base + next * s.size);
  for (let i = 0; i < k.profile.pointerBits / 8; i++) {
    mem[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** print_trailer: tracks, the slab, then the object's bytes section by section. */
function print_trailer(k: Kernel, s: KmemCache, slab: Slab, idx: number, inner: string[]): void {
  const p = obj_off(s, idx);
  print_tracking(k, s, slab, idx);
  print_slab_info(k, slab);
  err(
    k,
    `Object 0x${pr_ptr(k, obj_va(k, slab.base + idx * s.size))} @offset=${p} fp=0x${pr_ptr(k, get_freepointer(k, s, slab, idx))}`,
  );
  err(k, "");
  if (s.flags & SLAB_RED_ZONE) print_section(k, slab, "Redzone  ", p - s.red_left_pad, s.red_left_pad);
  else if (p > 16) print_section(k, slab, "Bytes b4 ", p - 16, 16);
  print_section(k, slab, "Object   ", p, Math.min(s.object_size, 4096));
  if (s.flags & SLAB_RED_ZONE)
    print_section(k, slab, "Redzone  ", p + s.object_size, s.inuse - s.object_size);
  let off = get_info_end(k, s);
  if (s.flags & SLAB_STORE_USER) off += 2 * track_size(k);
  if (off !== size_from_object(s)) print_section(k, slab, "Padding  ", p + off, size_from_object(s) - off);
  dump_stack(k, report_trace(k, inner));
}

function object_err(k: Kernel, s: KmemCache, slab: Slab, idx: number, reason: string, inner: string[]): void {
  slab_bug(k, s, reason);
  print_trailer(k, s, slab, idx, inner);
  add_taint(k, TAINT_BAD_PAGE);
}

/** slab_err: a report about a whole slab. */
export function slab_err(k: Kernel, s: KmemCache, slab: Slab, msg: string, inner: string[]): void {
  slab_bug(k, s, msg);
  print_slab_info(k, slab);
  dump_stack(k, report_trace(k, inner));
  add_taint(k, TAINT_BAD_PAGE);
}

/**
 * check_bytes_and_report: are `len` bytes at `start` all `value`? If not,
 * report the damaged range and restore it.
 */
function check_bytes_and_report(
  k: Kernel,
  s: KmemCache,
  slab: Slab,
  idx: number,
  what: string,
  start: number,
  value: number,
  len: number,
  inner: string[],
): boolean {
  const mem = slab.debug!.mem;
  let fault = -1;
  for (let i = start; i < start + len; i++)
    if (mem[i] !== value) {
      fault = i;
      break;
    }
  if (fault < 0) return true;
  let end = start + len;
  while (end > fault && mem[end - 1] === value) end--;
  const va = (o: number): string => pr_ptr(k, phys_to_virt(k, slab.pfn * 4096 + o));
  slab_bug(k, s, `${what} overwritten`);
  err(
    k,
    `0x${va(fault)}-0x${va(end - 1)} @offset=${fault}. First byte 0x${mem[fault].toString(16)} instead of 0x${value.toString(16)}`,
  );
  print_trailer(k, s, slab, idx, inner);
  add_taint(k, TAINT_BAD_PAGE);
  slab_fix(k, s, `Restoring ${what} 0x${va(fault)}-0x${va(end - 1)}=0x${value.toString(16)}`);
  mem.fill(value, fault, end);
  return false;
}

/** check_pad_bytes: the bytes after the metadata must still be POISON_INUSE. */
function check_pad_bytes(k: Kernel, s: KmemCache, slab: Slab, idx: number, inner: string[]): boolean {
  let off = get_info_end(k, s);
  if (s.flags & SLAB_STORE_USER) off += 2 * track_size(k);
  if (size_from_object(s) === off) return true;
  const p = obj_off(s, idx);
  return check_bytes_and_report(
    k,
    s,
    slab,
    idx,
    "Object padding",
    p + off,
    POISON_INUSE,
    size_from_object(s) - off,
    inner,
  );
}

/** check_object: red zones (val: cc allocated, bb free) and the poison of a free object. */
function check_object(
  k: Kernel,
  s: KmemCache,
  slab: Slab,
  idx: number,
  val: number,
  inner: string[],
): boolean {
  const p = obj_off(s, idx);
  if (s.flags & SLAB_RED_ZONE) {
    if (
      !check_bytes_and_report(k, s, slab, idx, "Left Redzone", p - s.red_left_pad, val, s.red_left_pad, inner)
    )
      return false;
    if (
      !check_bytes_and_report(
        k,
        s,
        slab,
        idx,
        "Right Redzone",
        p + s.object_size,
        val,
        s.inuse - s.object_size,
        inner,
      )
    )
      return false;
  } else if (s.flags & SLAB_POISON && s.object_size < s.inuse)
    check_bytes_and_report(
      k,
      s,
      slab,
      idx,
      "Alignment padding",
      p + s.object_size,
      POISON_INUSE,
      s.inuse - s.object_size,
      inner,
    );
  if (s.flags & SLAB_POISON) {
    if (
      val !== SLUB_RED_ACTIVE &&
      s.flags & __OBJECT_POISON &&
      (!check_bytes_and_report(k, s, slab, idx, "Poison", p, POISON_FREE, s.object_size - 1, inner) ||
        !check_bytes_and_report(k, s, slab, idx, "End Poison", p + s.object_size - 1, POISON_END, 1, inner))
    )
      return false;
    check_pad_bytes(k, s, slab, idx, inner);
  }
  return true;
}

/** init_object: fill the red zones with val and poison the object when it is free. */
function init_object(s: KmemCache, slab: Slab, idx: number, val: number): void {
  const mem = slab.debug!.mem;
  const p = obj_off(s, idx);
  if (s.flags & SLAB_RED_ZONE) mem.fill(val, p - s.red_left_pad, p);
  if (s.flags & __OBJECT_POISON) {
    mem.fill(POISON_FREE, p, p + s.object_size - 1);
    mem[p + s.object_size - 1] = POISON_END;
  }
  if (s.flags & SLAB_RED_ZONE) mem.fill(val, p + s.object_size, p + s.inuse);
}

/** setup_slab_debug + setup_object: a new debug slab, every object free. */
export function setup_slab_debug(s: KmemCache, slab: Slab): void {
  const bytes = 4096 << slab.order;
  const mem = new Uint8Array(bytes);
  if (s.flags & SLAB_POISON) mem.fill(POISON_INUSE);
  slab.debug = {
    mem,
    alloc: new Array(slab.objects).fill(null),
    free: new Array(slab.objects).fill(null),
  };
  for (let i = 0; i < slab.objects; i++) init_object(s, slab, i, SLUB_RED_INACTIVE);
}

function on_freelist(slab: Slab, idx: number): boolean {
  let n = 0;
  for (let p = slab.freelist; p >= 0 && n <= slab.objects; p = slab.fp[p], n++) if (p === idx) return true;
  return false;
}

function set_track(k: Kernel, slab: Slab, idx: number, which: "alloc" | "free", caller: string): void {
  const cur = k.mm_hooks.current_task(k);
  slab.debug![which][idx] = {
    addr: caller || "0x0",
    cpu: k.cpu,
    pid: cur.pid,
    when: k.clock.jiffies,
    stack:
      which === "alloc"
        ? ["__kmem_cache_alloc_node", ...report_trace(k, [])]
        : ["kfree", ...report_trace(k, [])],
  };
}

/**
 * alloc_debug_processing: object idx is about to be handed out. With
 * consistency checks it must still look free; then its red zones turn
 * "active", its poison stays (SLAB_POISON wins over init_on_alloc) and the
 * caller is recorded.
 */
export function alloc_debug_processing(
  k: Kernel,
  s: KmemCache,
  slab: Slab,
  idx: number,
  caller: string,
): boolean {
  const inner = ["alloc_debug_processing", "___slab_alloc", "__slab_alloc"];
  if (s.flags & SLAB_CONSISTENCY_CHECKS && !check_object(k, s, slab, idx, SLUB_RED_INACTIVE, inner)) {
    slab_fix(k, s, "Marking all objects used");
    return false;
  }
  init_object(s, slab, idx, SLUB_RED_ACTIVE);
  if (s.flags & SLAB_STORE_USER) set_track(k, slab, idx, "alloc", caller);
  if (!(s.flags & SLAB_POISON)) slab.debug!.mem.fill(0, obj_off(s, idx), obj_off(s, idx) + s.object_size);
  return true;
}

/**
 * free_debug_processing: object idx (at addr) is being freed. With
 * consistency checks: a pointer that is not an object, an object already
 * free, or damaged red zones stop the free ("Object at ... not freed").
 */
export function free_debug_processing(
  k: Kernel,
  s: KmemCache,
  slab: Slab,
  addr: number,
  idx: number,
  caller: string,
): boolean {
  const inner = ["free_debug_processing", "__slab_free"];
  let ok = true;
  const already = idx >= 0 && idx < slab.objects && Number.isInteger(idx) && on_freelist(slab, idx);
  if (!Number.isInteger(idx) || idx < 0 || idx >= slab.objects) {
    if (s.flags & SLAB_CONSISTENCY_CHECKS)
      slab_err(k, s, slab, `Invalid object pointer 0x${pr_ptr(k, obj_va(k, addr))}`, inner);
    ok = false;
  } else if (s.flags & SLAB_CONSISTENCY_CHECKS) {
    if (already) {
      object_err(k, s, slab, idx, "Object already free", inner);
      ok = false;
    } else if (!check_object(k, s, slab, idx, SLUB_RED_ACTIVE, inner)) ok = false;
  } else if (already) {
    // Without consistency checks Linux would corrupt its free list here; the naive check stops it.
    slab_hardened_double_free(k, s, slab, idx);
    return false;
  }
  if (!ok) {
    slab_fix(k, s, `Object at 0x${pr_ptr(k, obj_va(k, addr))} not freed`);
    return false;
  }
  if (s.flags & SLAB_STORE_USER) set_track(k, slab, idx, "free", caller);
  init_object(s, slab, idx, SLUB_RED_INACTIVE);
  set_freepointer(k, s, slab, idx, slab.freelist);
  return true;
}

/**
 * set_freepointer's BUG_ON(object == fp) (CONFIG_SLAB_FREELIST_HARDENED):
 * the object being freed already heads the free list. Linux oopses; inside
 * a module's code the oops kills the loading task (see module/main.ts),
 * anywhere else it is a kernel bug and the machine panics.
 */
export function slab_hardened_double_free(k: Kernel, s: KmemCache, _slab: Slab, _idx: number): void {
  const line = k.profile.pointerBits === 64 ? 378 : 379;
  const msg = `kernel BUG at mm/slub.c:${line}!`;
  const oops = k.slab.oops;
  if (!oops) BUG(`${msg} (${s.name})`);
  k.printk.printk(0, "------------[ cut here ]------------");
  k.printk.printk(0, msg);
  const arch = k.profile.arch;
  k.printk.printk(
    0,
    arch === "x86_64"
      ? "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI"
      : arch === "arm"
        ? "Internal error: Oops - BUG: 0 [#1] SMP ARM"
        : "Internal error: Oops - BUG: 00000000f2000800 [#1] SMP",
  );
  oops(msg);
}

/** Debug bytes of an object, for writers that simulate a buggy user (the module loader). */
export function debug_object_write(
  k: Kernel,
  addr: number,
  off: number,
  len: number,
  value: number,
): boolean {
  const pfn = Math.floor(addr / 4096);
  const ext = k.mem.peekExt(pfn);
  if (!ext) return false;
  const slab = k.slab.slabs[ext.private_[pfn & 0x7fff]];
  if (!slab?.debug) return false;
  const start = addr - slab.pfn * 4096 + off;
  slab.debug.mem.fill(value, Math.max(0, start), Math.min(slab.debug.mem.length, start + len));
  return true;
}
