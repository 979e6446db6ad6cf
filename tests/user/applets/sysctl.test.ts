import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

describe("sysctl", () => {
  it("behaves as in the reference transcript (cmds 102-105)", () => {
    const r = sh([
      "sysctl vm.drop_caches",
      'sysctl -w vm.drop_caches=3; echo "rc=$?"',
      'sysctl -w vm.drop_caches=7; echo "rc=$?"',
      "sysctl vm.swappiness vm.overcommit_memory",
    ]);
    // the kernel logs each drop_caches write on the console (loglevel 7)
    expect(r.output.replace(/^\[ +\d+\.\d+\] sysctl \(\d+\): drop_caches: 3\n/m, "")).toBe(
      "vm.drop_caches = 3\nrc=0\nsysctl: write error: Invalid argument\nrc=1\nvm.swappiness = 60\nvm.overcommit_memory = 0\n",
    );
  });

  it("reads keys with or without their names, by dots or slashes, and whole directories", () => {
    const r = sh(["sysctl -n kernel.ostype vm.swappiness", "sysctl kernel/ostype kernel.printk"]);
    expect(r.output).toBe("Linux\n60\nkernel.ostype = Linux\nkernel.printk = 7\t4\t1\t7\n");
    const dir = sh(["sysctl kernel"]).output.split("\n");
    expect(dir.pop()).toBe("");
    for (const l of dir) expect(l).toMatch(/^kernel\.[a-z_-]+ = \S/);
    expect(dir).toContain("kernel.osrelease = 6.1.0-50-armmp");
    const all = sh(["cat /proc/sys/vm/min_free_kbytes", "sysctl -a"]).output.split("\n");
    expect(all).toContain(`vm.min_free_kbytes = ${all[0]}`);
    expect(all).toContain("vm.lowmem_reserve_ratio = 256\t32\t0\t0");
    // write-only files are skipped without a word
    expect(all.some((l) => l.startsWith("vm.drop_caches") || l.startsWith("vm.compact_memory"))).toBe(false);
  });

  it("writes with -w or KEY=VALUE, quietly with -q, and from a file with -p", () => {
    const r = sh([
      "sysctl -w vm.swappiness=10 vm.dirty_ratio=30",
      "sysctl vm.watermark_scale_factor=20",
      "sysctl -q -w vm.swappiness=20",
      "cat /proc/sys/vm/swappiness /proc/sys/vm/dirty_ratio /proc/sys/vm/watermark_scale_factor",
      "printf '# comment\\n; another\\nvm.swappiness = 33\\n\\nkernel.hostname=box\\n' > /etc/sysctl.conf",
      "sysctl -p",
      "hostname",
      "echo vm.swappiness=44 > /tmp/s.conf",
      "sysctl -n -p /tmp/s.conf",
    ]);
    expect(r.output).toBe(
      "vm.swappiness = 10\nvm.dirty_ratio = 30\nvm.watermark_scale_factor = 20\n20\n30\n20\n" +
        "vm.swappiness = 33\nkernel.hostname = box\nbox\n44\n",
    );
  });

  it("reports unknown keys, malformed settings and missing files", () => {
    const r = sh([
      "sysctl kernel.nosuch; echo $?",
      "sysctl -e kernel.nosuch; echo $?",
      "sysctl -w kernel.ostype; echo $?",
      "sysctl -w =1; echo $?",
      "sysctl -w vm.nosuch=; echo $?",
      "sysctl -p /nope; echo $?",
      "sysctl; echo $?",
    ]);
    expect(r.output).toBe(
      "sysctl: error: 'kernel.nosuch' is an unknown key\n1\n1\n" +
        "sysctl: error: 'kernel.ostype' must be of the form name=value\n1\n" +
        "sysctl: error: malformed setting '=1'\n1\n" +
        "sysctl: error: 'vm.nosuch' is an unknown key\n1\n" +
        "sysctl: /nope: No such file or directory\n0\n0\n",
    );
  });

  it("prints the usage for a bad option", () => {
    expect(sh(["sysctl -x", "echo $?"]).output).toBe(
      `sysctl: invalid option -- 'x'\n${BANNER}\n\nUsage: sysctl [-enq] { -a | -p [FILE]... | [-w] [KEY[=VALUE]]... }\n\n` +
        "Show/set kernel parameters\n\n\t-e\tDon't warn about unknown keys\n\t-n\tDon't show key names\n\t-q      Quiet\n" +
        "\t-a\tShow all values\n\t-p\tSet values from FILEs (default /etc/sysctl.conf)\n\t-w\tSet values\n1\n",
    );
  });
});
