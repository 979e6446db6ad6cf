import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("chmod", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["chmod 644 /tmp/cm /nope", "chmod: /nope: No such file or directory\n1\n"],
    ["chmod xyz /tmp/cm", "chmod: invalid mode 'xyz'\n1\n"],
    ["chmod -v 600 /tmp/cm", "mode of '/tmp/cm' changed to 0600 (rw-------)\n0\n"],
    ["chmod -c 600 /tmp/cm", "mode of '/tmp/cm' changed to 0600 (rw-------)\n0\n"],
    ["chmod -c 644 /tmp/cm", "0\n"],
    ["chmod -v 644 /tmp/cm", "mode of '/tmp/cm' changed to 0644 (rw-r--r--)\n0\n"],
    [
      "chmod",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: chmod [-Rcvf] MODE[,MODE]... FILE...\n\nMODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]\n\n\t-R\tRecurse\n\t-c\tList changed files\n\t-v\tVerbose\n\t-f\tHide errors\n1\n",
    ],
    [
      "chmod u+x",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: chmod [-Rcvf] MODE[,MODE]... FILE...\n\nMODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]\n\n\t-R\tRecurse\n\t-c\tList changed files\n\t-v\tVerbose\n\t-f\tHide errors\n1\n",
    ],
    ["chmod -x /tmp/cm", "0\n"],
    ["ls -l /tmp/cm | cut -c1-10", "-rw-r--r--\n0\n"],
    ["chmod u+s,g=rx,o-r /tmp/cm", "0\n"],
    ["ls -l /tmp/cm | cut -c1-10", "-rw-r--r--\n0\n"],
    ["chmod -y 644 /tmp/cm", "chmod: 644: No such file or directory\nchmod: invalid mode '-y'\n1\n"],
    ["chmod 7777 /tmp/cm", "0\n"],
    ["ls -l /tmp/cm | cut -c1-10", "-rw-r--r--\n0\n"],
    ["chmod 17777 /tmp/cm", "chmod: invalid mode '17777'\n1\n"],
    ["mkdir -p /tmp/cr/s", "0\n"],
    ["touch /tmp/cr/s/f", "touch: /tmp/cr/s/f: No such file or directory\n1\n"],
    ["chmod -R 700 /tmp/cr", "chmod: /tmp/cr: No such file or directory\n1\n"],
    ["ls -l /tmp/cr/s | cut -c1-10", "ls: /tmp/cr/s: No such file or directory\n0\n"],
    ["chmod -f 600 /nope", "chmod: /nope: No such file or directory\n1\n"],
  ])("%s", (cmd, out) => {
    expect(sh(["touch /tmp/cm", cmd, "echo $?"]).output).toBe(out);
  });
});
