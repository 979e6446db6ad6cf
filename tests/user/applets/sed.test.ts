import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { usage } from "./util.js";

const SETUP = ["printf 'one\\ntwo\\nthree\\n' > /tmp/s3"];

describe("sed", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["sed 's/o/0/' /tmp/s3", "0ne\ntw0\nthree\n0\n"],
    ["sed -n 's/o/0/gp' /tmp/s3", "0ne\ntw0\n0\n"],
    ["sed '2d' /tmp/s3", "one\nthree\n0\n"],
    ["sed -n '$p' /tmp/s3", "three\n0\n"],
    ["sed '/two/,$d' /tmp/s3", "one\n0\n"],
    ["sed -e 's/e/E/2' /tmp/s3", "one\ntwo\nthreE\n0\n"],
    ["sed 'x' /tmp/s3", "\none\ntwo\n0\n"],
    ["sed 'k' /tmp/s3", "sed: unsupported command k\n1\n"],
    ["sed 's/a/b' /tmp/s3", "sed: unmatched '/'\n1\n"],
    ["sed '{p' /tmp/s3", "one\none\ntwo\ntwo\nthree\nthree\n0\n"],
    ["sed 'p}' /tmp/s3", "one\none\ntwo\ntwo\nthree\nthree\n0\n"],
    ["sed 's/\\(/x/' /tmp/s3", "sed: bad regex '\\(': Unmatched ( or \\(\n1\n"],
    ["sed p /nope", "sed: /nope: No such file or directory\n1\n"],
    ["sed -n p /nope /tmp/s3", "sed: /nope: No such file or directory\none\ntwo\nthree\n1\n"],
    ["sed 'b foo' /tmp/s3", "sed: can't find label for jump to 'foo'\n1\n"],
    ["sed 's/x/y/q' /tmp/s3", "sed: bad option in substitution expression\n1\n"],
    ["sed '3q' /tmp/s3 /tmp/s3", "one\ntwo\nthree\n0\n"],
    ["sed = /tmp/s3", "1\none\n2\ntwo\n3\nthree\n0\n"],
    ["sed '1~2d' /tmp/s3", "sed: unsupported command ~\n1\n"],
    ["sed -n '/one/,+1p' /tmp/s3", "one\ntwo\n0\n"],
    ["sed '1i inserted' /tmp/s3", "inserted\none\ntwo\nthree\n0\n"],
    ["sed '2c changed' /tmp/s3", "one\nchanged\nthree\n0\n"],
    ["sed 'y/abc/xyz/' /tmp/s3", "one\ntwo\nthree\n0\n"],
    ["sed 'y/on/ON/' /tmp/s3", "ONe\ntwO\nthree\n0\n"],
    ["sed -n l /tmp/s3", "0\n"],
    ["sed 'N;P;D' /tmp/s3", "one\ntwo\nthree\n0\n"],
    ["sed '$!N;s/\\n/ /' /tmp/s3", "one two\nthree\n0\n"],
    ["sed 's/o/\\n/' /tmp/s3", "\nne\ntw\n\nthree\n0\n"],
    ["sed 's/\\(t\\)\\(w\\)/\\2\\1&/' /tmp/s3", "one\nwttwo\nthree\n0\n"],
    ["sed -E 's/(t)(w)/\\2\\1/' /tmp/s3", "one\nwto\nthree\n0\n"],
    ["printf 'x\\n' | sed 's/x/a\\tb/'", "a\tb\n0\n"],
    ["printf 'x\\n' | sed 's/x/[&]/'", "[x]\n0\n"],
    ["printf 'x\\n' | sed 's/x/\\&/'", "&\n0\n"],
    ["printf 'a.b\\n' | sed 's|\\.|/|'", "a/b\n0\n"],
    ["printf 'abc\\n' | sed 's/b*/X/g'", "XaXcX\n0\n"],
    ["printf 'hello\\n' | sed 's/l/L/2g'", "heLLo\n0\n"],
    ["printf 'a\\nb\\n' | sed -n '/a/{n;p}'", "b\n0\n"],
    ["printf 'a\\nb\\n' | sed '1!d'", "a\n0\n"],
    ["printf 'a\\nb\\nc\\n' | sed -n '2{p;q}'", "b\n0\n"],
    ["printf 'a\\nb\\n' | sed 'G'", "a\n\nb\n\n0\n"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sed block, not a template
    ["printf 'a\\nb\\n' | sed -n 'H;${x;s/\\n/,/g;p}'", ",a,b\n0\n"],
    ["printf 'aaa\\n' | sed 's/a/b/3'", "aab\n0\n"],
    ["printf 'x\\n' | sed -e 'a\\' -e 'foo'", "x\nfoo\n0\n"],
    ["printf 'x\\n' | sed 'a foo\\nbar'", "x\nfoo\nbar\n0\n"],
    ["printf 'x\\ny\\n' | sed '0,/x/d'", "x\ny\n0\n"],
    ["printf 'AbC\\n' | sed 's/b/X/I'", "AXC\n0\n"],
    ["printf 'a\\nb\\n' | sed '$!s/$/,/'", "a,\nb\n0\n"],
    ["printf 'a\\n' | sed 's/$/\\t|/'", "a\t|\n0\n"],
    ["printf 'abc\\n' | sed -n 's/b/B/p;p'", "aBc\naBc\n0\n"],
    ["printf 'a\\nb\\n' | sed '/a/,/x/d'", "0\n"],
    ["printf 'a\\nb\\n' | sed 's/a/A/;T;s/b/B/'", "A\nb\n0\n"],
    ["printf 'a\\n' | sed 's/a/&&/; t done; s/a/X/; :done'", "aa\n0\n"],
    ["printf 'a\\nb\\n' | sed 'Q'", "sed: unsupported command Q\n1\n"],
    ["printf 'a\\n' | sed 'q5'", "sed: missing command\n1\n"],
    ["printf 'a\\nb' | sed 's/b/B/'", "a\nB0\n"],
    ["printf 'a\\nb' | sed p", "a\na\nb\nb0\n"],
    ["printf 'cccd\\n' | sed 's/c*/R/g'", "RdR\n0\n"],
    ["printf 'x\\n' | sed --version", "This is not GNU sed version 4.0\n0\n"],
    ["printf 'a b c\\n' | sed 's/ /_/2'", "a b_c\n0\n"],
    ["printf 'a\\n' | sed -n '/a/ p'", "a\n0\n"],
    ["printf 'x\\n' | sed 'w /nonexist/x'", "sed: can't open '/nonexist/x': No such file or directory\n1\n"],
    ["printf 'x\\n' | sed -f /nope", "sed: /nope: No such file or directory\n1\n"],
    ["printf 'x\\n' | sed -n '/x/='", "1\n0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([...SETUP, cmd, "echo $?"]).output).toBe(out);
  });

  it("prints its usage without a script", () => {
    expect(sh(["sed", "echo $?"]).output).toBe(`${usage("sed")}1\n`);
  });

  it("edits in place, keeping a backup with -i SUFFIX, and writes w files", () => {
    const r = sh([
      "echo x > /tmp/f",
      "sed -i 's/x/z/' /tmp/f",
      "cat /tmp/f",
      "sed -i.bak 's/z/q/' /tmp/f",
      "cat /tmp/f /tmp/f.bak",
      "sed -i s/a/b/",
      "echo x | sed 's/x/y/w /tmp/w'",
      "cat /tmp/w",
      "echo x | sed 'r /tmp/w'",
    ]);
    expect(r.output).toBe("z\nq\nz\nsed: -i requires an argument\ny\ny\nx\ny\n");
  });

  it("takes a multi-line script: a block, and an escaped newline in a replacement", () => {
    const r = sh([
      "printf 'one\\ntwo\\n' > /tmp/in",
      "printf '/one/{\\np\\n}\\ns/t/\\\\\\n/\\n' > /tmp/prog",
      "sed -f /tmp/prog /tmp/in",
    ]);
    expect(r.output).toBe("one\none\n\nwo\n");
  });
});
