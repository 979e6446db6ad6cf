/*
 * fuzz-coreutils.test.ts - random options and operands for the file and
 * text applets (fast-check, fixed seed). Whatever the arguments, no kernel
 * panic, no JavaScript error on the console ("internal error in program"
 * ends in a Segmentation fault), invariants hold and the shell answers.
 * Stdin is /dev/null; programs that go on (tail -f, sleep, yes) get ^C.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";

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

/** The console of one machine, rebooted when its shell is gone. */
class Console {
  s = this.boot();
  out = "";

  private boot(): PlainSession {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 128 << 20 });
    s.take();
    // in /tmp/d, so that grep -r (no operand: ".") does not wander into /dev and read the console
    s.line("mkdir -p /tmp/d; echo 'a b a' > /tmp/f; echo x > /tmp/d/g; cd /tmp/d");
    s.take();
    return s;
  }

  /** Types a line; ^C (up to five times) until the shell reads again. */
  type(text: string): void {
    const m = this.s.m;
    m.input(`${text}\n`);
    for (let i = 0; i < 5 && !m.panicked && m.shellStatus === null; i++) {
      m.run(m.ns + 2e9, 200_000);
      if (m.waitingForInput() && m.k.console.read_buf.length === 0) break;
      m.input("\x03");
    }
    this.out += this.s.take();
  }

  check(line: string): void {
    const m = this.s.m;
    expect(m.panicked).toBeNull();
    m.checkInvariants();
    if (/internal error in program|Segmentation fault|TypeError|RangeError/.test(this.out))
      throw new Error(`${line}\n${this.out}`);
    this.out = "";
    this.type("echo alive");
    expect(this.out).toContain("alive");
    this.out = "";
    if (m.shellStatus !== null) this.s = this.boot();
  }
}

describe("file and text applets under random arguments", () => {
  it("never crash the machine or leak a JavaScript error", () => {
    const c = new Console();
    fc.assert(
      fc.property(fc.constantFrom(...APPLETS), argv, (applet, args) => {
        // stdin from /dev/null: a program reading the console would take the next line
        // "busybox APPLET": the applet even where the shell has a builtin (echo, printf, test...)
        const line = `busybox ${[quote(applet), ...args.map(quote)].join(" ")} < /dev/null`;
        c.type(line);
        c.check(line);
      }),
      { seed: 1351, numRuns: 600 },
    );
  }, 300_000);
});
