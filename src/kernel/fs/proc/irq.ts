/*
 * irq.ts - /proc/irq (Linux kernel/irq/proc.c init_irq_proc,
 * register_irq_proc, register_handler_proc).
 *
 *   /proc/irq/default_smp_affinity      irq_default_affinity, 0644
 *   /proc/irq/31/smp_affinity           "%*pb" of the affinity (0644, or
 *               smp_affinity_list       "%*pbl"  0444 when user space may
 *               affinity_hint           "%*pb" of the driver's hint  not move it)
 *               node                    the descriptor's NUMA node
 *               effective_affinity      "%*pb" of the CPU the chip targets
 *               effective_affinity_list "%*pbl"
 *               spurious                note_interrupt's counts
 *               uart-pl011/             one empty directory per handler
 *
 * A descriptor has a directory when it existed at init_irq_proc (the ones
 * set up before the initcalls: the IPIs, the boot and local timers, x86's
 * 16 legacy IRQs) or got a handler since (__setup_irq registers it then);
 * an interrupt mapped but never requested (the UARTs nobody opened, the
 * CLCDs whose probe failed) has none. Entries list in procfs' order: by
 * name length, then by name (proc_match).
 *
 * Writing smp_affinity (hex) or smp_affinity_list (CPU list) moves the
 * interrupt: the chip picks a target in the new mask (the GIC its first
 * CPU, x86's vector matrix the CPU with the fewest vectors), and from then
 * on that CPU takes it in /proc/interrupts. A mask with no online CPU puts
 * back the default (irq_select_affinity_usr). Per-CPU, managed and
 * IRQF_NOBALANCING interrupts refuse with EIO.
 *
 * Simplified: no driver sets an affinity hint (virtio's spread vectors are
 * managed instead), so affinity_hint is an empty mask; no interrupt goes
 * unhandled, so spurious counts only handled ones.
 */

import type { IrqDesc } from "../../irq/irqdesc.js";
import type { Kernel } from "../../kernel.js";
import { bitmap_list_string, bitmap_parse, bitmap_parselist, bitmap_string } from "../../lib/bitmap.js";
import { S_IFREG } from "../../uapi/abi.js";
import { EINVAL, EIO } from "../../uapi/errno.js";
import { dir, file, type ProcEntry } from "./generic.js";

/** nr_cpumask_bits: NR_CPUS (8) on armmp; nr_cpu_ids where cpumasks are off-stack (amd64, arm64). */
function nr_cpumask_bits(k: Kernel): number {
  return k.profile.arch === "arm" ? 8 : k.nr_cpu_ids;
}

function online_mask(k: Kernel): bigint {
  return (1n << BigInt(k.nr_cpu_ids)) - 1n;
}

const pb = (k: Kernel, m: bigint): string => `${bitmap_string(m, k.nr_cpu_ids)}\n`;
const pbl = (k: Kernel, m: bigint): string => `${bitmap_list_string(m, k.nr_cpu_ids)}\n`;

/** proc_match: shorter names first, then byte order. */
function proc_order(a: ProcEntry, b: ProcEntry): number {
  return a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Registered in /proc/irq: present at init_irq_proc, or requested since. */
function has_proc_dir(k: Kernel, d: IrqDesc): boolean {
  return d.actions.length > 0 || d.cpu < 0 || (k.profile.arch === "x86_64" && d.irq < 16);
}

/**
 * irq_do_set_affinity: the chip's target in mask. The GIC takes the first
 * CPU; x86's vector matrix the one with the fewest vectors of started
 * interrupts (the lowest on a tie).
 */
function irq_chip_target(k: Kernel, d: IrqDesc, mask: bigint): number {
  const cpus: number[] = [];
  for (let c = 0; c < k.nr_cpu_ids; c++) if ((mask >> BigInt(c)) & 1n) cpus.push(c);
  if (k.profile.arch !== "x86_64") return cpus[0];
  const used = new Array<number>(k.nr_cpu_ids).fill(0);
  for (const o of k.irq.descs) if (o && o !== d && o.cpu >= 0 && o.effective) used[o.cpu]++;
  return cpus.reduce((best, c) => (used[c] < used[best] ? c : best), cpus[0]);
}

/** irq_set_affinity: the new mask, and the target the chip picks in it. */
function irq_set_affinity(k: Kernel, d: IrqDesc, mask: bigint): void {
  d.affinity = mask;
  const started = d.actions.length > 0;
  if (!started && k.profile.arch === "x86_64") {
    // irq_set_affinity_deactivated: stored for activation, the effective mask is the whole mask.
    d.effective = mask & online_mask(k);
    return;
  }
  const cpu = irq_chip_target(k, d, mask & online_mask(k));
  d.effective = 1n << BigInt(cpu);
  if (started) d.cpu = cpu;
}

/** write_irq_affinity: type 0 hex, 1 a CPU list. */
function write_irq_affinity(k: Kernel, d: IrqDesc, text: string, list: boolean): number {
  if (!d.affinity_usr) return -EIO;
  const nbits = nr_cpumask_bits(k);
  const mask = list ? bitmap_parselist(text, nbits) : bitmap_parse(text, nbits);
  if (typeof mask === "number") return mask;
  if ((mask & online_mask(k)) === 0n) {
    // irq_select_affinity_usr: irq_setup_affinity with the default mask.
    irq_set_affinity(k, d, k.irq.default_affinity & online_mask(k) || online_mask(k));
    return text.length;
  }
  irq_set_affinity(k, d, mask & ((1n << BigInt(nbits)) - 1n));
  return text.length;
}

function irq_dir(d: IrqDesc): ProcEntry {
  const mode = S_IFREG | (d.affinity_usr ? 0o644 : 0o444);
  const children: ProcEntry[] = [
    file("smp_affinity", (kk) => pb(kk, d.affinity), {
      mode,
      write: (kk, _t, text) => write_irq_affinity(kk, d, text, false),
    }),
    file("affinity_hint", (kk) => pb(kk, 0n)),
    file("smp_affinity_list", (kk) => pbl(kk, d.affinity), {
      mode,
      write: (kk, _t, text) => write_irq_affinity(kk, d, text, true),
    }),
    file("node", () => `${d.node}\n`),
    file("effective_affinity", (kk) => pb(kk, d.effective)),
    file("effective_affinity_list", (kk) => pbl(kk, d.effective)),
    // irq_spurious_proc_show: note_interrupt counts each handled interrupt, modulo 100000;
    // per-CPU interrupts (handle_percpu_devid_irq) never reach it.
    file("spurious", () => {
      let n = 0;
      if (d.cpu >= 0) for (const c of d.kstat) n += c;
      return `count ${n % 100000}\nunhandled 0\nlast_unhandled 0 ms\n`;
    }),
  ];
  // register_handler_proc: a directory per action, unless another has its name.
  for (const name of new Set(d.actions)) children.push(dir(name, []));
  return dir(String(d.irq), children.sort(proc_order));
}

/** default_affinity_write: a hex mask with an online CPU. */
function default_affinity_write(k: Kernel, text: string): number {
  const mask = bitmap_parse(text, nr_cpumask_bits(k));
  if (typeof mask === "number") return mask;
  if ((mask & online_mask(k)) === 0n) return -EINVAL;
  k.irq.default_affinity = mask;
  return text.length;
}

/** init_irq_proc: the /proc/irq directory. */
export function proc_irq(): ProcEntry {
  return dir("irq", (k) => {
    const out: ProcEntry[] = [
      file("default_smp_affinity", (kk) => pb(kk, kk.irq.default_affinity), {
        mode: S_IFREG | 0o644,
        write: (kk, _t, text) => default_affinity_write(kk, text),
      }),
    ];
    for (const d of k.irq.descs) if (d && has_proc_dir(k, d)) out.push(irq_dir(d));
    return out.sort(proc_order);
  });
}
