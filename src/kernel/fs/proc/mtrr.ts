/*
 * mtrr.ts - x86's variable-range MTRRs and /proc/mtrr (Linux
 * arch/x86/kernel/cpu/mtrr/mtrr.c mtrr_add_page/mtrr_del_page, generic.c,
 * if.c mtrr_seq_show/mtrr_write).
 *
 * The firmware sets the MTRRs and the kernel keeps them: QEMU's CPU has 8
 * variable ranges (MTRRcap 0x508, write-combining supported), and SeaBIOS's
 * mtrr_setup makes everything write-back by default and marks the 32-bit
 * PCI hole, from pcimem_start to 4 GiB, uncachable with range 0.
 * pcimem_start (i440fx_mem_addr_setup) is 2 GiB when low RAM fits below it,
 * else 3 GiB. The kernel's sanitizer leaves a write-back default alone.
 *
 *   reg00: base=0x080000000 ( 2048MB), size= 2048MB, count=1: uncachable
 *
 * A write "base=0x... size=0x... type=NAME" adds a range (or counts one
 * more user of an identical one), "disable=N" drops a user of range N and
 * clears it with the last; bad lines get mtrr_write's EINVAL, conflicts
 * mtrr_add_page's (with its "mtrr: " warnings), a full table ENOSPC.
 */

import { low_ram_top } from "../../arch/pc_layout.js";
import type { Kernel } from "../../kernel.js";
import { KERN_INFO, KERN_WARNING } from "../../lib/printk.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EINVAL, ENOSPC } from "../../uapi/errno.js";
import { file, type ProcEntry } from "./generic.js";

const mtrr_strings = [
  "uncachable",
  "write-combining",
  "?",
  "?",
  "write-through",
  "write-protect",
  "write-back",
];
const MTRR_TYPE_UNCACHABLE = 0;
const MTRR_TYPE_WRTHROUGH = 4;
const MTRR_TYPE_WRBACK = 6;
const MTRR_NUM_TYPES = 7;
/** num_var_ranges: QEMU's MTRRcap VCNT. */
const NUM_VAR_RANGES = 8;
/** x86_phys_bits of QEMU's CPU ("address sizes : 40 bits physical"). */
const PHYS_BITS = 40;
const PAGE_SHIFT = 12;

/** One variable range, in pages (size 0: unused), and mtrr_usage_table's count. */
interface VarRange {
  base: number;
  size: number;
  type: number;
  usage: number;
}

const tables = new WeakMap<Kernel, VarRange[]>();

/** The ranges as SeaBIOS left them (mtrr_bp_init reads them; each set one has a usage of 1). */
function mtrr_state(k: Kernel): VarRange[] {
  let t = tables.get(k);
  if (!t) {
    const ram = low_ram_top(k.boot_layout.e820);
    const pcimem_start = ram <= 0x80000000 ? 0x80000000 : 0xc0000000;
    t = [];
    for (let i = 0; i < NUM_VAR_RANGES; i++) t.push({ base: 0, size: 0, type: 0, usage: 0 });
    t[0] = {
      base: pcimem_start / 4096,
      size: (2 ** 32 - pcimem_start) / 4096,
      type: MTRR_TYPE_UNCACHABLE,
      usage: 1,
    };
    tables.set(k, t);
  }
  return t;
}

const hexpages = (n: number): string => `${n.toString(16)}000`;

function mtrr_seq_show(k: Kernel): string {
  let out = "";
  mtrr_state(k).forEach((r, i) => {
    if (r.size === 0) {
      r.usage = 0;
      return;
    }
    const [size, factor] = r.size < 0x100000 >> PAGE_SHIFT ? [r.size << 2, "K"] : [r.size >> 8, "M"];
    out += `reg${String(i).padStart(2, "0")}: base=0x${r.base.toString(16).padStart(6, "0")}000 (${String(Math.floor(r.base / 256)).padStart(5)}MB), size=${String(size).padStart(5)}${factor}B, count=${r.usage}: ${mtrr_strings[r.type]}\n`;
  });
  return out;
}

function types_compatible(a: number, b: number): boolean {
  if (a === MTRR_TYPE_UNCACHABLE || b === MTRR_TYPE_UNCACHABLE) return true;
  return (
    (a === MTRR_TYPE_WRBACK && b === MTRR_TYPE_WRTHROUGH) ||
    (a === MTRR_TYPE_WRTHROUGH && b === MTRR_TYPE_WRBACK)
  );
}

/** mtrr_add_page with generic_validate_add_page and generic_get_free_region: the register, or -errno. */
function mtrr_add_page(k: Kernel, base: number, size: number, type: number): number {
  const warn = (s: string): void => k.printk.printk(KERN_WARNING, `mtrr: ${s}`);
  const t = mtrr_state(k);
  // generic_validate_add_page: base aligned on the size (upper bits equal, lower 0 / 1)
  let lbase = BigInt(base);
  let last = (BigInt(base) + BigInt(size) - 1n) & 0xffffffffffffffffn; // unsigned long
  while (!(lbase & 1n) && last & 1n) {
    lbase >>= 1n;
    last >>= 1n;
  }
  if (lbase !== last) {
    warn(`base(0x${hexpages(base)}) is not aligned on a size(0x${hexpages(size)}) boundary`);
    return -EINVAL;
  }
  if (!size) {
    warn("zero sized request");
    return -EINVAL;
  }
  if ((base + size - 1) / 2 ** (PHYS_BITS - PAGE_SHIFT) >= 1) {
    warn("base or size exceeds the MTRR width");
    return -EINVAL;
  }
  let replace = -1;
  for (let i = 0; i < NUM_VAR_RANGES; i++) {
    const r = t[i];
    if (!r.size || base > r.base + r.size - 1 || base + size - 1 < r.base) continue;
    if (base < r.base || base + size - 1 > r.base + r.size - 1) {
      if (base <= r.base && base + size - 1 >= r.base + r.size - 1) {
        // the new region encloses an existing one
        if (type === r.type) {
          replace = replace === -1 ? i : -2;
          continue;
        }
        if (types_compatible(type, r.type)) continue;
      }
      warn(
        `0x${hexpages(base)},0x${hexpages(size)} overlaps existing 0x${hexpages(r.base)},0x${hexpages(r.size)}`,
      );
      return -EINVAL;
    }
    // the new region is enclosed by an existing one
    if (r.type !== type) {
      if (types_compatible(type, r.type)) continue;
      warn(
        `type mismatch for ${hexpages(base)},${hexpages(size)} old: ${mtrr_strings[r.type]} new: ${mtrr_strings[type]}`,
      );
      return -EINVAL;
    }
    r.usage++;
    return i;
  }
  const i = replace >= 0 ? replace : t.findIndex((r) => r.size === 0);
  if (i < 0) {
    k.printk.printk(KERN_INFO, "mtrr: no more MTRRs available");
    return -ENOSPC;
  }
  const usage = replace >= 0 ? t[replace].usage + 1 : 1;
  t[i] = { base, size, type, usage };
  return i;
}

/** mtrr_del_page(reg, 0, 0). */
function mtrr_del_page(k: Kernel, reg: number): number {
  const warn = (s: string): void => k.printk.printk(KERN_WARNING, `mtrr: ${s}`);
  const t = mtrr_state(k);
  if (reg >= NUM_VAR_RANGES) {
    warn(`register: ${reg} too big`);
    return -EINVAL;
  }
  const r = t[reg];
  if (r.size < 1) {
    warn(`MTRR ${reg} not used`);
    return -EINVAL;
  }
  if (r.usage < 1) {
    warn(`reg: ${reg} has count=0`);
    return -EINVAL;
  }
  if (--r.usage < 1) t[reg] = { base: 0, size: 0, type: 0, usage: 0 };
  return reg;
}

/** simple_strtoull(s + at, &end, 0). */
function simple_strtoull(s: string, at: number): [bigint, number] {
  let base = 10;
  let i = at;
  if (s[i] === "0") {
    if ((s[i + 1] === "x" || s[i + 1] === "X") && /[0-9a-fA-F]/.test(s[i + 2] ?? "")) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let v = 0n;
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i], 16);
    if (Number.isNaN(d) || d >= base) break;
    v = (v * BigInt(base) + BigInt(d)) & 0xffffffffffffffffn;
  }
  return [v, i];
}

const skip_spaces = (s: string, i: number): number => {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
};

/** mtrr_write: one line of at most LINE_SIZE - 1 bytes. */
function mtrr_write(k: Kernel, text: string): number {
  const len = Math.min(text.length, 79);
  let line = text.slice(0, len);
  const nul = line.indexOf("\0");
  if (nul >= 0) line = line.slice(0, nul);
  if (line.endsWith("\n")) line = line.slice(0, -1);
  if (line.startsWith("disable=")) {
    const [reg] = simple_strtoull(line, 8);
    const err = mtrr_del_page(k, Number(reg));
    return err < 0 ? err : len;
  }
  if (!line.startsWith("base=")) return -EINVAL;
  const [base, e1] = simple_strtoull(line, 5);
  let p = skip_spaces(line, e1);
  if (!line.startsWith("size=", p)) return -EINVAL;
  const [size, e2] = simple_strtoull(line, p + 5);
  if (base & 0xfffn || size & 0xfffn) return -EINVAL;
  p = skip_spaces(line, e2);
  if (!line.startsWith("type=", p)) return -EINVAL;
  p = skip_spaces(line, p + 5);
  const type = mtrr_strings.indexOf(line.slice(p));
  if (type < 0 || type >= MTRR_NUM_TYPES) return -EINVAL;
  const err = mtrr_add_page(k, Number(base >> 12n), Number(size >> 12n), type);
  return err < 0 ? err : len;
}

export function proc_mtrr(): ProcEntry {
  return file("mtrr", (k) => mtrr_seq_show(k), {
    mode: S_IFREG | 0o644,
    write: (k, _t, text) => mtrr_write(k, text),
  });
}
