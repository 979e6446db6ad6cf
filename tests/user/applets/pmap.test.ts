import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("pmap", () => {
  it("lists init's mappings from smaps, 32-bit addresses on ARM", () => {
    const r = sh(["pmap 1"]);
    const lines = r.output.split("\n");
    expect(lines[0]).toBe("1: /init");
    expect(lines[1]).toBe("00010000    1236K r-xp  /bin/busybox");
    expect(lines).toContain("0014b000      16K rw-p    [ anon ]");
    expect(lines.at(-3)).toBe("ffff0000       4K r-xp  [vectors]");
    expect(lines.at(-2)).toBe("mapped: 1560K");
  });

  it("shows details with -x, 64-bit addresses on x86_64", () => {
    const r = sh(["pmap -x 1"], { machine: "pc" });
    const lines = r.output.split("\n");
    expect(lines[1]).toBe("Address\t\t  Kbytes     PSS   Dirty    Swap  Mode  Mapping");
    expect(lines[2]).toMatch(/^0000000000400000 {7}4 +\d+ +\d+ {7}0 {2}r--p {2}\/bin\/busybox$/);
    expect(lines.at(-3)).toBe("----------------  ------  ------  ------  ------");
    expect(lines.at(-2)).toMatch(/^total\t\t {4}2260 +\d+ +\d+ {7}0$/);
  });

  it("fails like BusyBox on bad input", () => {
    expect(sh(["pmap 999; echo rc=$?"]).output).toBe("999: [?]\nrc=42\n");
    expect(sh(["pmap abc; echo rc=$?"]).output).toBe("pmap: invalid number 'abc'\nrc=1\n");
    expect(sh(["pmap -z 1; echo rc=$?"]).output).toMatch(
      /^pmap: invalid option -- 'z'\nBusyBox v1\.35\.0 .*\n\nUsage: pmap \[-xq\] PID\.\.\.\n[\s\S]*rc=1\n$/,
    );
  });
});
