import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt } from "./util.js";

const SETUP = ["seq 1 20 > /tmp/s20", "printf 'a\\nb' > /tmp/ab"];

describe("head and tail", () => {
  // Each command then "echo $?": outputs checked against Debian's BusyBox 1.35.
  it.each([
    ["head -3 /tmp/s20", "1\n2\n3\n0\n"],
    ["head -n 2 /tmp/s20 /tmp/ab", "==> /tmp/s20 <==\n1\n2\n\n==> /tmp/ab <==\na\nb0\n"],
    ["head -n -17 /tmp/s20", "1\n2\n3\n0\n"],
    ["head -c 5 /tmp/s20", "1\n2\n30\n"],
    ["head /nope /tmp/ab", "head: /nope: No such file or directory\n\n==> /tmp/ab <==\na\nb1\n"],
    ["head -n 1k /tmp/ab", "a\nb0\n"],
    ["head -q -n1 /tmp/s20 /tmp/ab", "1\na\n0\n"],
    ["head -v -n1 /tmp/ab", "==> /tmp/ab <==\na\n0\n"],
    ["head -n x", "head: invalid number 'x'\n1\n"],
    ["head -n 99999999999999999999 /tmp/ab", "head: invalid number '99999999999999999999'\n1\n"],
    ["seq 3 | head -n2 -", "1\n2\n0\n"],
    ["tail -3 /tmp/s20", "18\n19\n20\n0\n"],
    ["tail -n +18 /tmp/s20", "18\n19\n20\n0\n"],
    ["tail -c 4 /tmp/s20", "\n20\n0\n"],
    ["tail -c +48 /tmp/s20", "\n20\n0\n"],
    ["tail /nope", "tail: can't open '/nope': No such file or directory\ntail: no files\n1\n"],
    ["tail -n 1 /tmp/s20 /tmp/ab", "==> /tmp/s20 <==\n20\n\n==> /tmp/ab <==\nb0\n"],
    ["tail -n -2 /tmp/s20", "19\n20\n0\n"],
    ["tail +19 /tmp/s20", "19\n20\n0\n"],
    ["tail -n x", "tail: invalid number 'x'\n1\n"],
    ["tail -c 1x /tmp/ab", "tail: invalid number '1x'\n1\n"],
    ["yes | head -n 3", "y\ny\ny\n0\n"],
  ])("%s", (cmd, out) => {
    expect(sh([...SETUP, cmd, "echo $?"]).output).toBe(out);
  });

  it.each([
    ["head -y", badopt("head", "y")],
    ["tail -y", badopt("tail", "y")],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(`${out}1\n`);
  });
});
