import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { usage } from "./util.js";

const HEADER = "              total        used        free      shared  buff/cache   available\n";

/** The numbers of a free line ("Mem:" or "Swap:"), as printed. */
function cols(out: string, label: string): string[] {
  const line = out.split("\n").find((l) => l.startsWith(label))!;
  return line
    .slice(7)
    .match(/.{12}/g)!
    .map((s) => s.trim());
}

describe("free (BusyBox's own, from sysinfo and /proc/meminfo)", () => {
  it("prints KiB by default: used = total - free - buff/cache", () => {
    const r = sh(["free"]);
    expect(r.output).toMatch(new RegExp(`^${HEADER}Mem:   ( {2,11}\\d+){6}\nSwap: {13}0 {11}0 {11}0\n$`));
    const [total, used, free, , cache] = cols(r.output, "Mem:").map(Number);
    expect(total).toBe(1020732);
    expect(used).toBe(total - free - cache);
  });

  it.each([
    ["-m", /^ {9}997( +\d+){5}$/],
    ["-b", /^ {2}1045229568( +\d+){5}$/],
    ["-g", /^ {11}1( +\d+){5}$/],
    ["-h", /^ {6}996\.8M( +\d+(\.\d)?[KMG]?){5}$/],
  ])("free %s", (flag, mem) => {
    const out = sh([`free ${flag}`]).output;
    expect(out.startsWith(HEADER)).toBe(true);
    expect(out.split("\n")[1].slice(7)).toMatch(mem);
  });

  it("looks at its first argument only; anything but -bkmgh prints the usage, with no getopt complaint", () => {
    const r = sh(["free -x", "echo $?", "free x | head -n 1"]);
    expect(r.output).toBe(`${usage("free")}1\n${HEADER}`);
  });
});

describe("uname", () => {
  it("prints the fields of uname(2)", () => {
    const r = sh(["uname", "uname -a", "uname -snrvmpio", "uname -mr"]);
    expect(r.output).toBe(
      "Linux\nLinux (none) 6.1.0-50-armmp #1 SMP Debian 6.1.176-1 (2026-07-02) armv7l GNU/Linux\n" +
        "Linux (none) 6.1.0-50-armmp #1 SMP Debian 6.1.176-1 (2026-07-02) armv7l unknown unknown GNU/Linux\n" +
        "6.1.0-50-armmp armv7l\n",
    );
    expect(sh(["uname -m"], { machine: "pc" }).output).toBe("x86_64\n");
  });

  it("refuses operands with the usage", () => {
    expect(sh(["uname a", "echo $?"]).output).toBe(`${usage("uname")}1\n`);
  });
});

describe("dmesg", () => {
  it("prints the kernel log without the <level> prefixes; -r keeps them; -c clears", () => {
    const r = sh(["dmesg | head -n 1", "dmesg -r | head -n 1", "dmesg -c > /dev/null", "dmesg", "echo $?"]);
    expect(r.output).toBe(
      "[    0.000000] Booting Linux on physical CPU 0x0\n<6>[    0.000000] Booting Linux on physical CPU 0x0\n0\n",
    );
  });

  it("sets the console level with -n and checks numbers", () => {
    const r = sh(["dmesg -n 1", "echo $?", "dmesg -n 9", "echo $?", "dmesg -n x", "dmesg -s 99999999999"]);
    expect(r.output).toBe(
      "0\ndmesg: klogctl: Invalid argument\n1\ndmesg: invalid number 'x'\ndmesg: invalid number '99999999999'\n",
    );
  });
});

describe("mount", () => {
  it("lists /proc/mounts as DEV on DIR type TYPE (OPTS), -t filtering", () => {
    const r = sh(["mount", "mount -t proc,sysfs"]);
    expect(r.output).toMatch(
      /^rootfs on \/ type rootfs \(rw,size=\d+k,nr_inodes=\d+\)\nproc on \/proc type proc \(rw,relatime\)\n/,
    );
    expect(r.output).toContain("tmpfs on /tmp type tmpfs (rw,relatime)\n");
    expect(
      r.output.endsWith("proc on /proc type proc (rw,relatime)\nsysfs on /sys type sysfs (rw,relatime)\n"),
    ).toBe(true);
  });

  it("mounts and remounts (-o remount,ro and --remount,rw), with BusyBox's errors", () => {
    const r = sh([
      "mount -t tmpfs scratch /mnt",
      "mount -o remount,ro /mnt",
      "mount -t tmpfs | tail -n 1",
      "mount --remount,rw /mnt",
      "mount -t tmpfs | tail -n 1",
      "mount -o remount /nope",
      "mount -t nofs x /mnt",
      "echo $?",
      "mount -t tmpfs x /nonexist",
      "mount /dev/x",
      "echo $?",
      "mount a b c",
      "echo $?",
    ]);
    expect(r.output).toBe(
      "scratch on /mnt type tmpfs (ro,relatime)\nscratch on /mnt type tmpfs (rw,relatime)\n" +
        "mount: can't find /nope in /proc/mounts\n" +
        "mount: mounting x on /mnt failed: No such device\n255\n" +
        "mount: mounting x on /nonexist failed: No such file or directory\n" +
        "mount: can't read '/etc/fstab': No such file or directory\n1\n" +
        `${usage("mount")}1\n`,
    );
  });
});

describe("cttyhack and tail -f", () => {
  it("cttyhack needs a program", () => {
    expect(sh(["cttyhack", "echo $?", "cttyhack /nope", "echo $?"]).output).toBe(
      `${usage("cttyhack")}1\ncttyhack: can't execute '/nope': No such file or directory\n127\n`,
    );
  });

  it("tail -f prints what is appended until it is killed", () => {
    const r = sh([
      "echo one > /tmp/x",
      "tail -f -s 1 /tmp/x &",
      "sleep 2",
      "echo two >> /tmp/x",
      "sleep 2",
      "kill $!",
      "wait",
    ]);
    expect(r.output).toBe("one\ntwo\n[1]+  Terminated                 tail -f -s 1 /tmp/x\n");
  });
});
