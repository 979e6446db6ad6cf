/*
 * fuzz.test.ts - random options and operands for the procps/system
 * applets (property-based, fast-check with a fixed seed so a failure
 * reproduces). Whatever the arguments, the machine must stay sound: no
 * kernel panic, no JavaScript error or stack trace on the console, the
 * allocator's invariants hold and the shell still answers.
 *
 * Left out: halt/poweroff/reboot (they stop the machine, on purpose) and
 * kill/killall, which get only harmless targets (a pid that does not exist,
 * a name nothing has). Something that runs on (watch, top without -b, dd
 * or xargs reading the console) gets ^C, as a person would type it.
 */

import fc from "fast-check";
import { describe, it } from "vitest";
import { FuzzConsole } from "../../helpers/fuzz.js";

const APPLETS = [
  "ps",
  "top",
  "pidof",
  "uptime",
  "nproc",
  "hostname",
  "id",
  "whoami",
  "which",
  "clear",
  "sync",
  "sysctl",
  "dd",
  "df",
  "du",
  "umount",
  "vmstat",
  "time",
  "pagealloc",
  "date",
  "watch",
  "xargs",
  "hexdump",
  "od",
];

const WORDS = [
  ..."-a -b -c -d -e -f -h -i -l -m -n -o -p -q -r -s -t -u -v -w -x -A -B -C -D -E -I -N -P -R -S -T -V".split(
    " ",
  ),
  ..."-- - --all --help --bogus --ignore=2 --unit -bn1 -n1 -d0.1 0 1 2 -1 3.5 x 99999999999999999999".split(
    " ",
  ),
  ..."/proc/meminfo /proc /nope /tmp /tmp/f /etc/passwd vm vm.swappiness=60 kernel.hostname=box".split(" "),
  ..."if=/dev/zero of=/tmp/f bs=1k count=3 skip=1 status=none conv=sync alloc free all GFP_KERNEL".split(" "),
  ...'pid,comm,vsz,rss user=U +%s @0 16/1 "%02x" x1 d4 echo cat'.split(" "),
];

const argv = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 });

describe("applets under random arguments", () => {
  it("never crash the machine or leak a JavaScript error", () => {
    const c = new FuzzConsole();
    fc.assert(
      fc.property(fc.constantFrom(...APPLETS), argv, (applet, args) => {
        const line = [applet, ...args].join(" ");
        c.type(`${line}\n`);
        c.check(line);
      }),
      { seed: 4242, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.constantFrom("kill", "killall"), argv, (applet, args) => {
        const safe = args.filter((a) => a.startsWith("-") && !/^-[0-9]/.test(a));
        const line = [applet, ...safe, applet === "kill" ? "32000" : "nosuchprocess"].join(" ");
        c.type(`${line}\n`);
        c.check(line);
      }),
      { seed: 4243, numRuns: 40 },
    );
  }, 120_000);
});
