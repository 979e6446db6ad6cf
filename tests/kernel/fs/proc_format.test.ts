import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const ref = (arch: string, name: string): string =>
  readFileSync(new URL(`../../fixtures/reference/${arch}/${name}.txt`, import.meta.url), "utf8");

/** A line with every number replaced by "#" (and the spaces before it), so layouts compare. */
const skeleton = (text: string): string[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => l.replace(/ *\d+/g, "#"));

function cat(machine: "vexpress-a9" | "pc", file: string): string {
  const r = sh([`cat ${file}`], { machine });
  expect(r.status).toBe(0);
  return r.output;
}

describe.each([
  ["vexpress-a9", "armhf"],
  ["pc", "x86_64"],
] as const)("/proc on %s has the reference's line structure", (machine, arch) => {
  it("meminfo: the same fields in the same order and the same widths", () => {
    const mine = cat(machine, "/proc/meminfo").split("\n").filter(Boolean);
    const theirs = ref(arch, "cat_proc_meminfo").split("\n").filter(Boolean);
    expect(mine.map((l) => l.split(":")[0])).toEqual(theirs.map((l) => l.split(":")[0]));
    // show_val_kb pads values to 8 columns: every line is as long as the reference's
    expect(mine.map((l) => l.length)).toEqual(theirs.map((l) => l.length));
  });

  it("buddyinfo: one line per populated zone, %6lu columns", () => {
    expect(skeleton(cat(machine, "/proc/buddyinfo"))).toEqual(skeleton(ref(arch, "cat_proc_buddyinfo")));
  });

  it("pagetypeinfo: the same layout", () => {
    expect(skeleton(cat(machine, "/proc/pagetypeinfo"))).toEqual(
      skeleton(ref(arch, "cat_proc_pagetypeinfo")),
    );
  });

  it("zoneinfo: the same layout", () => {
    expect(skeleton(cat(machine, "/proc/zoneinfo"))).toEqual(skeleton(ref(arch, "cat_proc_zoneinfo")));
  });

  it("vmstat: the same counters in the same order", () => {
    const names = (t: string): string[] =>
      t
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" ")[0]);
    expect(names(cat(machine, "/proc/vmstat"))).toEqual(names(ref(arch, "cat_proc_vmstat")));
  });

  it("version and uname", () => {
    expect(cat(machine, "/proc/version")).toBe(ref(arch, "cat_proc_version"));
    expect(sh(["uname -a"], { machine }).output).toBe(ref(arch, "uname_-a"));
  });
});

describe("/sys/devices/system/node", () => {
  it("has node0/meminfo on NUMA kernels, in the reference's layout", () => {
    const r = sh(["cat /sys/devices/system/node/node0/meminfo"], { machine: "pc" });
    expect(skeleton(r.output)).toEqual(skeleton(ref("x86_64", "cat_sys_devices_system_node_node0_meminfo")));
  });

  it("is absent on the non-NUMA ARM kernel, as on the reference", () => {
    const r = sh(["cat /sys/devices/system/node/node0/meminfo"]);
    expect(r.output).toBe(ref("armhf", "cat_sys_devices_system_node_node0_meminfo"));
    expect(r.status).toBe(1);
  });
});
