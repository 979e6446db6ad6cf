import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

describe("uptime, nproc", () => {
  it("prints the clock, the time since boot and the load, as in the reference", () => {
    // The machine's clock starts where the reference transcript's did.
    expect(sh(["uptime"]).output).toBe(" 01:36:17 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00\n");
    expect(sh(["uptime -s"]).output).toMatch(/^2026-11-22 01:36:1\d\n$/);
    expect(sh(["uptime -x", "echo $?"]).output).toBe(
      `uptime: invalid option -- 'x'\n${BANNER}\n\nUsage: uptime\n\nDisplay the time since the last boot\n1\n`,
    );
  });

  it("counts the CPUs this process may use, or all of them", () => {
    expect(sh(["nproc", "nproc --all", "nproc --ignore=3", "nproc --ignore=9", "nproc x"]).output).toBe(
      "4\n4\n1\n1\n4\n",
    );
    expect(sh(["nproc"], { smp: 2 }).output).toBe("2\n");
    expect(sh(["nproc --ignore=x", "echo $?"]).output).toBe("nproc: invalid number 'x'\n1\n");
  });
});

describe("hostname, id, whoami", () => {
  it("shows and sets the host name", () => {
    const r = sh([
      "hostname",
      "hostname box.example.org",
      "hostname",
      "hostname -s",
      "cat /proc/sys/kernel/hostname",
    ]);
    expect(r.output).toBe("(none)\nbox.example.org\nbox\nbox.example.org\n");
    expect(sh(["echo 'web1 # a comment' > /tmp/h", "hostname -F /tmp/h", "uname -n"]).output).toBe("web1\n");
    expect(sh(["hostname -f", "echo $?", "hostname -F /nope", "echo $?"]).output).toBe(
      "hostname: (none): Unknown host\n1\nhostname: can't open '/nope': No such file or directory\n1\n",
    );
    const hosts = sh([
      "echo '10.0.2.15 box.lan box' > /etc/hosts",
      "hostname box",
      "hostname -f",
      "hostname -d",
      "hostname -i",
    ]);
    expect(hosts.output).toBe("box.lan\nlan\n10.0.2.15\n");
  });

  it("prints user and group ids", () => {
    expect(sh(["id", "id -u", "id -un", "id -g", "id -gn", "id -G", "id -Gn", "whoami"]).output).toBe(
      "uid=0(root) gid=0(root)\n0\nroot\n0\nroot\n0\nroot\nroot\n",
    );
    expect(sh(["id nobody", "id -G daemon", "id nosuch", "echo $?"]).output).toBe(
      "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n1\nid: unknown user nosuch\n1\n",
    );
    const usage =
      `${BANNER}\n\nUsage: id [-ugGnr] [USER]\n\nPrint information about USER or the current user\n\n` +
      "\t-u\tUser ID\n\t-g\tGroup ID\n\t-G\tSupplementary group IDs\n\t-n\tPrint names instead of numbers\n" +
      "\t-r\tPrint real ID instead of effective ID\n";
    expect(sh(["id -u -g", "echo $?", "id -n", "echo $?"]).output).toBe(`${usage}1\n${usage}1\n`);
    expect(sh(["whoami me", "echo $?"]).output).toBe(
      `${BANNER}\n\nUsage: whoami\n\nPrint the user name associated with the current effective user id\n1\n`,
    );
  });
});

describe("which, clear, sync", () => {
  it("finds commands in PATH", () => {
    const r = sh([
      "which cat free nosuch /bin/echo /etc/passwd",
      "echo $?",
      "which -a busybox",
      "which",
      "echo $?",
    ]);
    expect(r.output).toBe(
      "/bin/cat\n/usr/bin/free\n/bin/echo\n1\n/bin/busybox\n" +
        `${BANNER}\n\nUsage: which [-a] COMMAND...\n\nLocate COMMAND\n\n\t-a\tShow all matches\n1\n`,
    );
    expect(sh(["PATH=/usr/bin:/bin which -a cat"]).output).toBe("/bin/cat\n");
  });

  it("clears the screen with two escape sequences", () => {
    expect(sh(["clear", "clear x"]).output).toBe("\x1b[H\x1b[J\x1b[H\x1b[J");
  });

  it("syncs everything or the files named", () => {
    expect(
      sh(["echo x > /tmp/f", "sync; echo $?", "sync -d /tmp/f /nope; echo $?", "sync -d -f"]).output,
    ).toBe(
      `0\nsync: can't open '/nope': No such file or directory\n1\n${BANNER}\n\nUsage: sync [-df] [FILE]...\n\n` +
        "Write all buffered blocks (in FILEs) to disk\n\t-d\tAvoid syncing metadata\n\t-f\tSync filesystems underlying FILEs\n",
    );
  });
});

describe("halt, poweroff, reboot", () => {
  it.each([
    ["poweroff", "reboot: Power down"],
    ["halt -f", "reboot: System halted"],
    ["reboot -n", "reboot: Restarting system"],
  ])("%s stops the machine", (cmd, msg) => {
    const r = sh([cmd, "echo not reached"]);
    expect(r.output).toMatch(new RegExp(`^\\[ {4}\\d+\\.\\d{6}\\] ${msg}\\n$`));
  });

  it("-w only writes wtmp; bad options and delays are refused", () => {
    expect(sh(["halt -w", "echo $?", "reboot -d x", "echo $?"]).output).toBe(
      "0\nreboot: invalid number 'x'\n1\n",
    );
    expect(sh(["poweroff -w", "echo $?", "poweroff -x", "echo $?"]).output).toBe(
      `0\npoweroff: invalid option -- 'x'\n${BANNER}\n\nUsage: poweroff [-d DELAY] [-nf]\n\nHalt and shut off power\n\n` +
        "\t-d SEC\tDelay interval\n\t-n\tDo not sync\n\t-f\tForce (don't go through init)\n1\n",
    );
  });
});
