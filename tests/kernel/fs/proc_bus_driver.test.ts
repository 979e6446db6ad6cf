/*
 * /proc/fs, /proc/bus and /proc/driver (fs/proc/root.c and the drivers
 * that fill them): nfsd's mount point; on vexpress no input device and no
 * PCI bus, the input handlers kbd, sysrq and mousedev; the PL031 as
 * /proc/driver/rtc.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const RTC =
  "rtc_time\t: 01:36:17\nrtc_date\t: 2026-11-22\nalrm_time\t: 00:00:00\nalrm_date\t: 1970-01-01\n" +
  "alarm_IRQ\t: no\nalrm_pending\t: no\nupdate IRQ enabled\t: no\nperiodic IRQ enabled\t: no\n" +
  "periodic IRQ frequency\t: 1\nmax user IRQ frequency\t: 64\n24hr\t\t: yes\n";

describe("/proc/fs, /proc/bus, /proc/driver", () => {
  it("vexpress-a9", () => {
    const r = sh([
      "cd /proc; ls -d fs/* bus/* bus/*/* driver/* | cat",
      "cat bus/input/handlers driver/rtc; wc -c < bus/input/devices; wc -c < bus/pci/devices",
    ]);
    expect(r.output).toBe(
      "bus/input\nbus/input/devices\nbus/input/handlers\nbus/pci\nbus/pci/devices\ndriver/rtc\nfs/nfsd\n" +
        "N: Number=0 Name=kbd\nN: Number=1 Name=sysrq (filter)\nN: Number=2 Name=mousedev Minor=32\n" +
        `${RTC}0\n0\n`,
    );
  });

  it("pc: only fs (PCI, input devices and rtc-cmos are not modelled)", () => {
    const r = sh(["cd /proc; ls -d fs/* bus driver 2>&1"], { machine: "pc" });
    expect(r.output).toBe(
      "ls: bus: No such file or directory\nls: driver: No such file or directory\nfs/nfsd\n",
    );
  });
});
