/*
 * bus_driver.ts - /proc/fs, /proc/bus and /proc/driver (Linux
 * fs/proc/root.c proc_root_init makes the three directories;
 * drivers/input/input.c input_proc_init, drivers/pci/proc.c pci_proc_init,
 * drivers/rtc/proc.c rtc_proc_show fill them).
 *
 *   fs/nfsd            the mount point proc_root_init always leaves for
 *                      nfsd (empty); the filesystems here (ext2, tmpfs)
 *                      add nothing to /proc/fs
 *   bus/input/devices  the input devices: vexpress has none (its PL050
 *                      KMIs need a module)
 *   bus/input/handlers the input handlers, numbered as registered: kbd
 *                      (vty_init), sysrq (a filter), mousedev (legacy
 *                      minors from 32)
 *   bus/pci/devices    the PCI devices: vexpress has no PCI bus
 *   driver/rtc         rtc0, the hctosys RTC (the PL031): its time, the
 *                      alarm the driver read at registration (the match
 *                      register QEMU resets to 0: the epoch, disabled) and
 *                      the rtc core's defaults for the periodic interrupt
 *
 * Simplified: on pc the PCI devices, the AT keyboard's input capabilities
 * and rtc-cmos's alarm registers are not modelled, so /proc/bus and
 * /proc/driver are left out there, and /proc/bus on virt (its PCIe host).
 */

import type { Kernel } from "../../kernel.js";
import { dir, file, type ProcEntry } from "./generic.js";

/** "%ptRt" and "%ptRd" of a time in seconds since the epoch. */
function rtc_tm(t: number): [string, string] {
  const iso = new Date(t * 1000).toISOString();
  return [iso.slice(11, 19), iso.slice(0, 10)];
}

function rtc_proc_show(k: Kernel): string {
  const [time, date] = rtc_tm(Math.floor(k.clock.realtime));
  const [atime, adate] = rtc_tm(0);
  return (
    `rtc_time\t: ${time}\nrtc_date\t: ${date}\n` +
    `alrm_time\t: ${atime}\nalrm_date\t: ${adate}\nalarm_IRQ\t: no\nalrm_pending\t: no\n` +
    "update IRQ enabled\t: no\nperiodic IRQ enabled\t: no\nperiodic IRQ frequency\t: 1\n" +
    "max user IRQ frequency\t: 64\n24hr\t\t: yes\n"
  );
}

export function proc_fs_dir(): ProcEntry {
  return dir("fs", [dir("nfsd", [])]);
}

/** /proc/bus and /proc/driver where the board's devices are modelled (ARM). */
export function proc_bus_driver(k: Kernel): ProcEntry[] {
  const arch = k.profile.arch;
  const out: ProcEntry[] = [];
  if (arch === "arm")
    out.push(
      dir("bus", [
        dir("input", [
          file("devices", () => ""),
          file(
            "handlers",
            () =>
              "N: Number=0 Name=kbd\nN: Number=1 Name=sysrq (filter)\nN: Number=2 Name=mousedev Minor=32\n",
          ),
        ]),
        dir("pci", [file("devices", () => "")]),
      ]),
    );
  if (arch !== "x86_64") out.push(dir("driver", [file("rtc", (kk) => rtc_proc_show(kk))]));
  return out;
}
