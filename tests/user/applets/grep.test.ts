import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt } from "./util.js";

const SETUP = ["printf 'one\\ntwo\\nthree\\nfour\\nfive\\n' > /tmp/g1", "printf 'alpha\\nbeta\\n' > /tmp/g2"];

describe("grep, egrep, fgrep", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["grep o /tmp/g1", "one\ntwo\nfour\n0\n"],
    ["grep -n o /tmp/g1 /tmp/g2", "/tmp/g1:1:one\n/tmp/g1:2:two\n/tmp/g1:4:four\n0\n"],
    ["grep -c e /tmp/g1 /tmp/g2", "/tmp/g1:3\n/tmp/g2:1\n0\n"],
    ["grep x /tmp/g1", "1\n"],
    ["grep o /nope", "grep: /nope: No such file or directory\n2\n"],
    [
      "grep o /nope /tmp/g1",
      "grep: /nope: No such file or directory\n/tmp/g1:one\n/tmp/g1:two\n/tmp/g1:four\n2\n",
    ],
    ["grep -s o /nope", "2\n"],
    ["grep -q o /nope /tmp/g1", "grep: /nope: No such file or directory\n0\n"],
    ["grep '[' /tmp/g1", "grep: bad regex '['\n2\n"],
    ["grep -E '(' /tmp/g1", "grep: bad regex '('\n2\n"],
    ["grep 'a\\{1' /tmp/g2", "grep: bad regex 'a\\{1'\n2\n"],
    [
      "grep",
      "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n\nSearch for PATTERN in FILEs (or stdin)\n\n\t-H\tAdd 'filename:' prefix\n\t-h\tDo not add 'filename:' prefix\n\t-n\tAdd 'line_no:' prefix\n\t-l\tShow only names of files that match\n\t-L\tShow only names of files that don't match\n\t-c\tShow only count of matching lines\n\t-o\tShow only the matching part of line\n\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise\n\t-v\tSelect non-matching lines\n\t-s\tSuppress open and read errors\n\t-r\tRecurse\n\t-R\tRecurse and dereference symlinks\n\t-i\tIgnore case\n\t-w\tMatch whole words only\n\t-x\tMatch whole lines only\n\t-F\tPATTERN is a literal (not regexp)\n\t-E\tPATTERN is an extended regexp\n\t-z\tNUL terminated input\n\t-m N\tMatch up to N times per file\n\t-A N\tPrint N lines of trailing context\n\t-B N\tPrint N lines of leading context\n\t-C N\tSame as '-A N -B N'\n\t-e PTRN\tPattern to match\n\t-f FILE\tRead pattern from file\n2\n",
    ],
    ["grep -C1 three /tmp/g1", "two\nthree\nfour\n0\n"],
    ["grep -A1 -n e /tmp/g1", "1:one\n2-two\n3:three\n4-four\n5:five\n0\n"],
    ["grep -B1 -n v /tmp/g1", "4-four\n5:five\n0\n"],
    ["grep -C1 -e one -e five /tmp/g1", "one\ntwo\n--\nfour\nfive\n0\n"],
    ["grep -o 'e.' /tmp/g1", "ee\n0\n"],
    ["grep -w on /tmp/g1", "1\n"],
    ["grep -x two /tmp/g1", "two\n0\n"],
    ["grep -l e /tmp/g1 /tmp/g2", "/tmp/g1\n/tmp/g2\n0\n"],
    ["grep -L z /tmp/g1", "/tmp/g1\n0\n"],
    ["grep -v -c o /tmp/g1", "2\n0\n"],
    ["grep -e one -e two /tmp/g1", "one\ntwo\n0\n"],
    ["grep -i ONE /tmp/g1", "one\n0\n"],
    ["grep -m1 o /tmp/g1", "one\n0\n"],
    ["echo a | grep -H a", "(standard input):a\n0\n"],
    ["grep -r alpha /tmp/g2", "alpha\n0\n"],
    ["grep 't\\(w\\|h\\)' /tmp/g1", "two\nthree\n0\n"],
    ["grep -E 't(w|h)' /tmp/g1", "two\nthree\n0\n"],
    ["grep 'e\\+' /tmp/g1", "one\nthree\nfive\n0\n"],
    ["grep -F 'o.' /tmp/g1", "1\n"],
    ["grep 'a\\(' /tmp/g1", "grep: bad regex 'a\\('\n2\n"],
    ["grep -E 'a{1' /tmp/g2", "1\n"],
    ["grep -E '*a' /tmp/g2", "alpha\nbeta\n0\n"],
    ["grep 'x\\{2,1\\}' /tmp/g2", "grep: bad regex 'x\\{2,1\\}'\n2\n"],
    ["echo 'a\\b' | grep 'a\\\\b'", "a\\b\n0\n"],
    ["grep '\\(a\\)\\1' /tmp/g2", "1\n"],
    ["grep -w 'al' /tmp/g2", "1\n"],
    ["echo 'foo bar' | grep -ow 'bar'", "bar\n0\n"],
    ["echo 'aaa' | grep -o 'a*'", "aaa\n0\n"],
    ["echo 'abc' | grep -o 'x*'", "0\n"],
    ["printf 'a\\nb\\na\\n' | grep -c a -", "2\n0\n"],
    ["grep -f /nope x", "grep: /nope: No such file or directory\n2\n"],
    ["printf 'one\\n' > /tmp/pats", "0\n"],
    ["grep -f /tmp/pats /tmp/g1", "grep: /tmp/pats: No such file or directory\n2\n"],
    ["grep -m x o /tmp/g1", "grep: invalid number 'x'\n2\n"],
    ["grep -A x o /tmp/g1", "grep: invalid number 'x'\n2\n"],
    [
      "egrep 'o|a' /tmp/g1 /tmp/g2",
      "/tmp/g1:one\n/tmp/g1:two\n/tmp/g1:four\n/tmp/g2:alpha\n/tmp/g2:beta\n0\n",
    ],
    ["fgrep '.' /tmp/g1", "1\n"],
    ["grep '^t' /tmp/g1", "two\nthree\n0\n"],
    ["grep 'e$' /tmp/g1", "one\nthree\nfive\n0\n"],
    ["grep '[[:upper:]]' /tmp/g1", "1\n"],
    ["grep '[^a-t]' /tmp/g1", "two\nfour\nfive\n0\n"],
    ["grep 'a^b' /tmp/g2", "1\n"],
    ["echo 'x*y' | grep '*y'", "x*y\n0\n"],
    ["echo '^x' | grep 'a*^x'", "^x\n0\n"],
    ["grep -n '' /tmp/g2", "1:alpha\n2:beta\n0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([...SETUP, cmd, "echo $?"]).output).toBe(out);
  });

  it("rejects an unknown option with status 2", () => {
    expect(sh(["grep -y o /tmp/g1", "echo $?"]).output).toBe(`${badopt("grep", "y")}2\n`);
  });
});
