import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decode_type } from "../../../src/user/applets/od.js";
import { Dumper, parse_format } from "../../../src/user/libc/dump.js";
import { sh } from "../../helpers/machine.js";

/*
 * golden/dump.out is what Debian's busybox 1.35 printed for golden/dump.cmds
 * on the host (each "hexdump"/"od" run as "busybox hexdump"/"busybox od",
 * the printf by the host's sh), so these are real BusyBox's bytes.
 */
const dir = new URL("./golden/", import.meta.url);
const cmds = readFileSync(new URL("dump.cmds", dir), "utf8").trimEnd().split("\n");
const golden = readFileSync(new URL("dump.out", dir), "utf8");

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

describe("hexdump and od", () => {
  it("print exactly what real BusyBox prints for every option in golden/dump.cmds", () => {
    expect(sh(cmds).output).toBe(golden);
  });

  it("read stdin, several files as one stream, and say what is missing", () => {
    const r = sh([
      "printf ab > /tmp/a",
      "printf cd > /tmp/b",
      "hexdump -C /tmp/a /tmp/b",
      "printf xyz | od -c",
      "od -c /tmp/a /nope /tmp/b; echo $?",
      "hexdump -x /nope; echo $?",
    ]);
    expect(r.output).toBe(
      "00000000  61 62 63 64                                       |abcd|\n00000004\n" +
        "0000000   x   y   z\n0000003\n" +
        "od: /nope: No such file or directory\n0000000   a   b   c   d\n0000004\n1\n" +
        "hexdump: /nope: No such file or directory\n1\n",
    );
  });

  it("reject bad types, radixes and options", () => {
    const r = sh(["od -t q1; echo $?", "od -t x3; echo $?", "od -A q; echo $?", "od -N x; echo $?"]);
    expect(r.output).toBe(
      "od: invalid character 'q' in type string 'q1'\n1\n" +
        "od: invalid type string 'x3'; 3-byte integral type is not supported\n1\n" +
        "od: bad output address radix 'q' (must be [doxn])\n1\n" +
        "od: invalid number 'x'\n1\n",
    );
    expect(
      sh(["hexdump -y", "echo $?"]).output.startsWith(
        `hexdump: invalid option -- 'y'\n${BANNER}\n\nUsage: hexdump`,
      ),
    ).toBe(true);
    expect(sh(["od -y", "echo $?"]).output).toBe(
      `od: invalid option -- 'y'\n${BANNER}\n\nUsage: od [-abcdfhilovxs] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-S MINSTR] [-w WIDTH] [FILE]...\n\n` +
        "Print FILEs (or stdin) unambiguously, as octal bytes by default\n1\n",
    );
  });

  it("parse od types and hexdump formats", () => {
    // Letters after a size: sizes are read with bb_strtou, so only a size at the end or
    // before a non-alphanumeric character works; a letter without a size takes the default.
    expect(decode_type("xu2")).toEqual([
      { kind: "x", size: 4, width: 8 },
      { kind: "u", size: 2, width: 5 },
    ]);
    expect(decode_type("dCo8")).toEqual([
      { kind: "d", size: 1, width: 4 },
      { kind: "o", size: 8, width: 22 },
    ]);
    expect(decode_type("x1u2")).toBe(
      "invalid type string 'x1u2'; 4294967295-byte integral type is not supported",
    );
    expect(decode_type("dL")).toEqual([{ kind: "d", size: 8, width: 20 }]);
    const fs = parse_format('"%_ad:" 2/1 " %c" "\\n"');
    if (typeof fs === "string") throw new Error(fs);
    expect(new Dumper([fs], false).display(new TextEncoder().encode("abcd"), 0)).toBe("0: a b\n2: c d\n");
    expect(parse_format('"%q"')).toBe("bad format {%q}");
  });
});
