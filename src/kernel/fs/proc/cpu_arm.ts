/*
 * cpu_arm.ts - /proc/cpu on 32-bit ARM: alignment (Linux
 * arch/arm/mm/alignment.c alignment_proc_show/_write) and swp_emulation
 * (arch/arm/kernel/swp_emulate.c proc_status_show), and /proc/mtd
 * (drivers/mtd/mtdcore.c mtd_proc_show).
 *
 * alignment counts the alignment faults the kernel fixed up, by who took
 * them and by kind of access, and says what a user-mode fault gets. On
 * ARMv7 the CPU does unaligned single loads and stores itself; only
 * LDM/STM/LDRD/STRD fault, and ignoring a fault would spin, so
 * safe_usermode turns the default (0, ignored) into fixup (2). A write of a
 * digit 0-5 sets the mode, again through safe_usermode (with its warning).
 * swp_emulation counts the SWP/SWPB instructions the undefined-instruction
 * hook emulated ("Registering SWP/SWPB emulation handler") and the aborted
 * ones. Programs here are the memory-behaviour language of user/progs, with
 * no unaligned multi-word access and no SWP, so the counters stay zero.
 *
 * /proc/mtd lists the MTD devices: vexpress's NOR flash needs the
 * physmap-of driver, a module nobody loads, so there is none.
 */

import type { Kernel } from "../../kernel.js";
import { KERN_WARNING } from "../../lib/printk.js";
import { S_IFREG } from "../../uapi/abi.js";
import { dir, file, type ProcEntry } from "./generic.js";

const usermode_action = ["ignored", "warn", "fixup", "fixup+warn", "signal", "signal+warn"];
const UM_FIXUP = 1 << 1;
const UM_SIGNAL = 1 << 2;

/** The alignment handler's counters (ai_user, ai_sys...) and ai_usermode. */
export class AlignmentState {
  ai_user = 0;
  ai_sys = 0;
  ai_skipped = 0;
  ai_half = 0;
  ai_word = 0;
  ai_dword = 0;
  ai_multi = 0;
  ai_usermode = 0;
}

/** safe_usermode on a CPU that does unaligned accesses itself (cpu_is_v6_unaligned). */
function safe_usermode(k: Kernel, mode: number, warn: boolean): number {
  if (!(mode & (UM_FIXUP | UM_SIGNAL))) {
    mode |= UM_FIXUP;
    if (warn)
      k.printk.printk(
        KERN_WARNING,
        "alignment: ignoring faults is unsafe on this CPU.  Defaulting to fixup mode.",
      );
  }
  return mode;
}

const states = new WeakMap<Kernel, AlignmentState>();

/** alignment_init: the state, with the user mode made safe for ARMv7. */
function ai(k: Kernel): AlignmentState {
  let s = states.get(k);
  if (!s) {
    s = new AlignmentState();
    s.ai_usermode = safe_usermode(k, s.ai_usermode, false);
    states.set(k, s);
  }
  return s;
}

function alignment_proc_show(k: Kernel): string {
  const s = ai(k);
  return (
    `User:\t\t${s.ai_user}\nSystem:\t\t${s.ai_sys}\nSkipped:\t${s.ai_skipped}\nHalf:\t\t${s.ai_half}\n` +
    `Word:\t\t${s.ai_word}\nDWord:\t\t${s.ai_dword}\nMulti:\t\t${s.ai_multi}\n` +
    `User faults:\t${s.ai_usermode} (${usermode_action[s.ai_usermode]})\n`
  );
}

/** alignment_proc_write: the first byte, a digit 0-5, sets the mode; anything else is taken and ignored. */
function alignment_proc_write(k: Kernel, text: string): number {
  const c = text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x35) ai(k).ai_usermode = safe_usermode(k, c - 0x30, true);
  return text.length;
}

export function proc_cpu_arm(): ProcEntry {
  return dir("cpu", [
    file("alignment", (k) => alignment_proc_show(k), {
      mode: S_IFREG | 0o644,
      write: (k, _t, text) => alignment_proc_write(k, text),
    }),
    file("swp_emulation", () => "Emulated SWP:\t\t0\nEmulated SWPB:\t\t0\nAborted SWP{B}:\t\t0\n"),
  ]);
}

export function proc_mtd(): ProcEntry {
  return file("mtd", () => "dev:    size   erasesize  name\n");
}
