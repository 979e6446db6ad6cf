import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt } from "./util.js";

const SETUP = [
  "printf 'hello world\\nfoo  bar baz\\n\\nlast' > /tmp/w",
  "seq 1 20 > /tmp/s20",
  "echo 'a:b:c:d' > /tmp/cu",
];

describe("wc, sort, uniq, cut, tr, tee", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["wc /tmp/w", "        3         6        30 /tmp/w\n0\n"],
    ["wc -l /tmp/w /tmp/s20", "        3 /tmp/w\n       20 /tmp/s20\n       23 total\n0\n"],
    ["wc -c < /tmp/w", "30\n0\n"],
    ["wc -w -l /tmp/w", "        3         6 /tmp/w\n0\n"],
    ["wc -L /tmp/w", "12 /tmp/w\n0\n"],
    ["wc /nope", "wc: /nope: No such file or directory\n1\n"],
    ["wc /tmp", "wc: /tmp: Is a directory\n        0         0         0 /tmp\n1\n"],
    ["printf 'b\\na\\nc\\na\\n10\\n9\\n' | sort", "10\n9\na\na\nb\nc\n0\n"],
    ["printf 'b\\na\\nc\\na\\n10\\n9\\n' | sort -n", "a\na\nb\nc\n9\n10\n0\n"],
    ["printf 'b\\na\\nc\\na\\n10\\n9\\n' | sort -ru", "c\nb\na\n9\n10\n0\n"],
    ["printf 'a:3\\nb:1\\n' | sort -t: -k2", "b:1\na:3\n0\n"],
    ["sort /nope", "sort: /nope: No such file or directory\n2\n"],
    ["sort -k 0 /dev/null", "sort: bad field specification\n2\n"],
    ["sort -t ab /dev/null", "sort: bad -t parameter\n2\n"],
    ["printf 'b\\na\\n' | sort -c", "Check line 1\n1\n"],
    ["printf 'b 2\\na 10\\nc 1\\n' | sort -k2n", "c 1\nb 2\na 10\n0\n"],
    ["printf 'B\\na\\nC\\n' | sort -f", "a\nB\nC\n0\n"],
    ["printf '1.5\\n1.10\\n-3\\nabc\\n' | sort -n", "-3\nabc\n1.10\n1.5\n0\n"],
    ["printf 'Feb\\nJan\\nfoo\\n' | sort -M", "foo\nJan\nFeb\n0\n"],
    ["printf 'x 1\\nx 2\\nx 1\\n' | sort -k1,1 -u", "x 1\n0\n"],
    ["printf 'x 2\\nx 1\\n' | sort -s -k1,1", "x 2\nx 1\n0\n"],
    ["printf 'a\\na\\nb\\na\\n' | uniq -c", "      2 a\n      1 b\n      1 a\n0\n"],
    ["printf 'a\\na\\nb\\n' | uniq -d", "a\n0\n"],
    ["printf 'a\\na\\nb\\n' | uniq -u", "b\n0\n"],
    ["printf 'a\\nA\\n' | uniq -i", "a\n0\n"],
    ["printf 'a x\\nb x\\n' | uniq -f1 -c", "      2 a x\n0\n"],
    ["uniq /nope", "uniq: can't open '/nope': No such file or directory\n1\n"],
    ["cut -d: -f2 /tmp/cu", "b\n0\n"],
    ["cut -c2-4 /tmp/cu", ":b:\n0\n"],
    ["cut -f1 /tmp/cu", "a:b:c:d\n0\n"],
    ["cut /tmp/cu", "cut: expected a list of bytes, characters, or fields\n1\n"],
    ["cut -f a /tmp/cu", "cut: invalid number 'a'\n1\n"],
    ["cut -d: -f 3,1 /tmp/cu", "a:c\n0\n"],
    ["cut -d: -f 3,1 -D /tmp/cu", "c:a\n0\n"],
    ["cut -d: -f -2 /tmp/cu", "a:b\n0\n"],
    [
      "cut -b 1-3 -c 1 /tmp/cu",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: cut [OPTIONS] [FILE]...\n\nPrint selected fields from FILEs to stdout\n\n\t-b LIST\tOutput only bytes from LIST\n\t-c LIST\tOutput only characters from LIST\n\t-d SEP\tField delimiter for input (default -f TAB, -F run of whitespace)\n\t-O SEP\tField delimiter for output (default = -d for -f, one space for -F)\n\t-D\tDon't sort/collate sections or match -fF lines without delimiter\n\t-f LIST\tPrint only these fields (-d is single char)\n\t-F LIST\tPrint only these fields (-d is regex)\n\t-s\tOutput only lines containing delimiter\n\t-n\tIgnored\n1\n",
    ],
    ["cut -d: -c1 /tmp/cu", "cut: a delimiter may be specified only when operating on fields\n1\n"],
    ["echo 'a  b   c' | cut -F 2- -O ,", "b,c\n0\n"],
    ["printf 'nodelim\\na:b\\n' | cut -s -d: -f2", "b\n0\n"],
    ["printf 'hello\\n' | tr a-z A-Z", "HELLO\n0\n"],
    ["printf 'hello\\n' | tr -d l", "heo\n0\n"],
    ["printf 'aabbcc\\n' | tr -s ab", "abcc\n0\n"],
    ["printf 'hello\\n' | tr -c 'a-z\\n' X", "hello\n0\n"],
    [
      "tr",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: tr [-cds] STRING1 [STRING2]\n\nTranslate, squeeze, or delete characters from stdin, writing to stdout\n\n\t-c\tTake complement of STRING1\n\t-d\tDelete input characters coded STRING1\n\t-s\tSqueeze multiple output characters of STRING2 into one character\n1\n",
    ],
    ["printf 'x\\n' | tr '[:lower:]' '[:upper:]'", "X\n0\n"],
    ["printf 'abc\\n' | tr 'abc' 'x'", "xxx\n0\n"],
    ["printf 'a.b\\n' | tr '.' '\\n'", "a\nb\n0\n"],
    ["printf 'aaa\\n' | tr -s 'a' 'b'", "b\n0\n"],
    ["printf 'a\\n' | tee /tmp/tee1 /nonexist/x", "tee: /nonexist/x: No such file or directory\na\n1\n"],
  ])("%s", (cmd, out) => {
    expect(sh([...SETUP, cmd, "echo $?"]).output).toBe(out);
  });

  it("tee appends with -a", () => {
    const r = sh(["echo a | tee /tmp/f", "echo b | tee -a /tmp/f > /dev/null", "cat /tmp/f"]);
    expect(r.output).toBe("a\na\nb\n");
  });

  it.each([
    ["wc", 1],
    ["sort", 2],
    ["uniq", 1],
    ["cut", 1],
    ["tr", 1],
    ["tee", 1],
  ])("%s rejects an unknown option", (name, status) => {
    expect(sh([`${name} -y`, "echo $?"]).output).toBe(`${badopt(String(name), "y")}${status}\n`);
  });
});
