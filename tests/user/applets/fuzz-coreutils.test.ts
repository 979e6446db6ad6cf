/*
 * fuzz-coreutils.test.ts - random options and operands for the file and
 * text applets (fast-check, fixed seed). Whatever the arguments, no kernel
 * panic, no JavaScript error on the console ("internal error in program"
 * ends in a Segmentation fault), invariants hold and the shell answers.
 * Stdin is /dev/null; programs that go on (tail -f, sleep, yes) get ^C.
 */

import fc from "fast-check";
import { describe, it } from "vitest";
import { FuzzConsole } from "../../helpers/fuzz.js";

const APPLETS = (
  "cat echo printf ls pwd mkdir rmdir rm cp mv ln touch chmod head tail grep egrep fgrep wc sort uniq cut tr tee " +
  "sed seq sleep true false test [ [[ env basename dirname free dmesg uname"
).split(" ");

const WORDS = [
  ..."-a -b -c -d -e -f -h -i -l -n -o -p -q -r -s -t -u -v -w -x -A -C -E -F -L -R -S -T -1 -5 +2".split(
    " ",
  ),
  ..."-- - --help --bogus --full-time --color=never 0 1 2 -1 3.5 x 99999999999999999999 1k 2m".split(" "),
  ..."/tmp/f /tmp/d /tmp/d/g /nope /etc/passwd /proc/meminfo /proc/1/status /dev/null .. . a b".split(" "),
  ..."s/a/b/g 1d $p p /x/,+1d y/ab/xy/ a\\ N;P;D [[:alpha:]] a\\{2\\} ( \\( * ^ $ .* a_b".split(" "),
  ..."%s %d %5.2f %b %q = != -eq -lt ! ) ] ]] 1,3 2- -2 : , A=1 \\n \\t".split(" "),
];

/** A word as one literal argument: the applets are under test here, not the shell. */
const quote = (w: string): string => `'${w.replace(/'/g, "'\\''")}'`;

const argv = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 });

// in /tmp/d, so that grep -r (no operand: ".") does not wander into /dev and read the console
const SETUP = "mkdir -p /tmp/d; echo 'a b a' > /tmp/f; echo x > /tmp/d/g; cd /tmp/d";

describe("file and text applets under random arguments", () => {
  it("never crash the machine or leak a JavaScript error", () => {
    const c = new FuzzConsole({ setup: SETUP });
    fc.assert(
      fc.property(fc.constantFrom(...APPLETS), argv, (applet, args) => {
        // stdin from /dev/null: a program reading the console would take the next line
        // "busybox APPLET": the applet even where the shell has a builtin (echo, printf, test...)
        const line = `busybox ${[quote(applet), ...args.map(quote)].join(" ")} < /dev/null`;
        c.type(`${line}\n`);
        c.check(line);
      }),
      { seed: 1351, numRuns: 600 },
    );
  }, 300_000);
});
