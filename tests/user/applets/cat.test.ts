import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("cat", () => {
  it("concatenates files and stdin", () => {
    const r = sh(["echo one > /tmp/a", "echo two > /tmp/b", "cat /tmp/a - /tmp/b < /tmp/b", "echo x | cat"]);
    expect(r.output).toBe("one\ntwo\ntwo\nx\n");
  });

  it("numbers lines with -n and non-empty lines with -b", () => {
    const r = sh(["/usr/bin/printf 'a\\n\\nb' > /tmp/f", "cat -n /tmp/f", "cat -b /tmp/f"]);
    expect(r.output).toBe("     1\ta\n     2\t\n     3\tb\n     1\ta\n\n     2\tb\n");
  });

  it("shows non-printing characters with -v, -e, -t, -A", () => {
    const r = sh([
      "/usr/bin/printf 'a\\tb\\001\\n\\nc\\200\\377' > /tmp/f",
      "cat -A /tmp/f",
      "echo",
      "cat -v /tmp/f",
      "echo",
    ]);
    expect(r.output).toBe("a^Ib^A$\n$\ncM-^@M-^?\na\tb^A\n\ncM-^@M-^?\n");
    expect(sh(["/usr/bin/printf 'a\\tb\\n' | cat -ne"]).output).toBe("     1  a\tb$\n");
  });

  it("fails on a missing file and a directory, and carries on", () => {
    const r = sh(["echo ok > /tmp/a", "cat /nope /tmp/a /tmp", "echo $?", "cat -n /nope", "echo $?"]);
    expect(r.output).toBe(
      "cat: can't open '/nope': No such file or directory\nok\ncat: read error: Is a directory\n1\n" +
        "cat: /nope: No such file or directory\n1\n",
    );
  });

  it("copies through a 64 KiB anonymous mapping, as Debian's build (FEATURE_COPYBUF_KB=64) does", () => {
    expect(sh(["cat /proc/self/maps"]).output).toBe(
      [
        "00010000-00145000 r-xp 00000000 00:02 6          /bin/busybox",
        "00145000-00149000 r--p 00134000 00:02 6          /bin/busybox",
        "00149000-0014b000 rw-p 00138000 00:02 6          /bin/busybox",
        "0014b000-0014f000 rw-p 00000000 00:00 0 ",
        "01a3f000-01a61000 rw-p 00000000 00:00 0          [heap]",
        "b6f68000-b6f78000 rw-p 00000000 00:00 0 ",
        "bee0d000-bee2e000 rw-p 00000000 00:00 0          [stack]",
        "befec000-befed000 r-xp 00000000 00:00 0          [sigpage]",
        "befed000-befee000 r--p 00000000 00:00 0          [vvar]",
        "befee000-befef000 r-xp 00000000 00:00 0          [vdso]",
        "ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]",
        "",
      ].join("\n"),
    );
  });

  it("rejects an unknown option with the usage", () => {
    const r = sh(["cat -y", "echo $?"]);
    expect(r.output).toBe(
      "cat: invalid option -- 'y'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n" +
        "Usage: cat [-nbvteA] [FILE]...\n\nPrint FILEs to stdout\n\n\t-n\tNumber output lines\n" +
        "\t-b\tNumber nonempty lines\n\t-v\tShow nonprinting characters as ^x or M-x\n\t-t\t...and tabs as ^I\n" +
        "\t-e\t...and end lines with $\n\t-A\tSame as -vte\n1\n",
    );
  });
});
