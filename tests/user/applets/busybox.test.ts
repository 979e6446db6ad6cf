import { describe, expect, it } from "vitest";
import { wrap_applet_list } from "../../../src/user/applets/busybox.js";
import { applets } from "../../../src/user/applets/registry.js";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

describe("busybox", () => {
  it("lists its applets, one per line, and with their directories", () => {
    // mmbox's other programs in the binary (procps' vmstat, ...) are no applets of BusyBox's
    const others = ["mkfs.ext2", "pagealloc", "physmap", "pmap", "slabtop", "stress-ng", "vmstat"];
    const names = [...applets.keys()].filter((n) => !others.includes(n)).sort();
    expect(sh(["busybox --list"]).output).toBe(`${names.join("\n")}\n`);
    expect(sh(["busybox vmstat; echo $?; vmstat | head -1"]).output).toBe(
      "vmstat: applet not found\n127\nprocs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n",
    );
    const full = sh(["busybox --list-full"]).output.split("\n");
    expect(full).toContain("bin/cat");
    expect(full).toContain("usr/bin/free");
    expect(full).toContain("sbin/init");
  });

  it("prints its help with the applet list wrapped like BusyBox's", () => {
    const r = sh(["busybox"]);
    expect(
      r.output.startsWith(`${BANNER}\nBusyBox is copyrighted by many authors between 1998-2015.\n`),
    ).toBe(true);
    expect(r.output).toContain("\nCurrently defined functions:\n\t");
    expect(r.status).toBe(0);
    // The same wrapping as the real binary's list (captured from Debian's busybox, 80 columns).
    const list = [
      "[",
      "[[",
      "acpid",
      "adjtimex",
      "ar",
      "arch",
      "arp",
      "arping",
      "ascii",
      "ash",
      "awk",
      "base64",
    ];
    list.push("basename", "bc", "blkdiscard", "blkid", "blockdev", "brctl", "bunzip2", "bzcat");
    expect(wrap_applet_list(list, 80)).toBe(
      "\t[, [[, acpid, adjtimex, ar, arch, arp, arping, ascii, ash, awk, base64,\n" +
        "\tbasename, bc, blkdiscard, blkid, blockdev, brctl, bunzip2, bzcat\n",
    );
  });

  it("runs an applet named by its first argument, and --help prints the usage on stdout", () => {
    const r = sh(["busybox echo hi", "busybox free --help > /tmp/u", "echo $?", "cat /tmp/u"]);
    expect(r.output).toBe(`hi\n0\n${BANNER}\n\nUsage: free [-bkmgh]\n\nDisplay free and used memory\n`);
  });

  it("knows no applet it does not have", () => {
    const r = sh(["busybox nosuch", "echo $?", "busybox --foo"]);
    expect(r.output).toBe("nosuch: applet not found\n127\n--foo: applet not found\n");
    expect(r.status).toBe(127);
  });
});
