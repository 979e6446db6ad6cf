/*
 * /proc/kmsg (fs/proc/kmsg.c): syslog(SYSLOG_ACTION_READ) from a file.
 * Reads consume the log from syslog_seq on, "<level>[time] text" each; a
 * short read leaves the rest of a record for the next; with nothing left a
 * read sleeps until printk logs something or a signal comes. dmesg reads
 * from clear_seq: `dmesg -c` and /proc/kmsg do not disturb each other.
 * /dev/kmsg writes are LOG_USER records (facility 1) at level 4 unless
 * they name one.
 */

import { describe, expect, it } from "vitest";
import { Machine } from "../../../src/machine.js";
import { sh } from "../../helpers/machine.js";

describe("/proc/kmsg", () => {
  it("consumes the log, blocks when it is empty, leaves dmesg alone", () => {
    const r = sh([
      "ls -l /proc/kmsg",
      "dd if=/proc/kmsg bs=40 count=1 2>/dev/null; echo '|'",
      "dd if=/proc/kmsg bs=40 count=1 2>/dev/null",
      "cat /proc/kmsg > /dev/null & sleep 1; kill -INT $!; wait",
      "echo '<13>one' > /dev/kmsg; echo two > /dev/kmsg",
      "dmesg -c | tail -n 2",
      "dd if=/proc/kmsg bs=4096 count=1 2>/dev/null",
      "dmesg -r",
      "cat /proc/kmsg & sleep 1; echo '<14>late' > /dev/kmsg; sleep 1; kill $!; wait",
      "echo x > /proc/kmsg; echo rc=$?",
    ]);
    expect(r.output).toBe(
      "-r--------    1 root     root             0 Nov 22 01:36 /proc/kmsg\n" +
        // a short read takes part of a record, the next read the rest
        "<6>[    0.000000] Booting Linux on physi|\n" +
        "cal CPU 0x0\n" +
        // cat drained the log and slept until SIGINT
        "[1]+  Interrupt                  cat /proc/kmsg >/dev/null\n" +
        // levels 5 and 4 are below console_loglevel 7: the console prints them
        "[    4.297800] one\n" +
        "[    4.297805] two\n" +
        "[    4.297800] one\n" +
        "[    4.297805] two\n" +
        // dmesg -c cleared dmesg's view, not /proc/kmsg's
        "<13>[    4.297800] one\n" +
        "<12>[    4.297805] two\n" +
        // dmesg -r: nothing since the clear; cat wakes for the new record
        "[    5.299326] late\n" +
        "<14>[    5.299326] late\n" +
        "[1]+  Terminated                 cat /proc/kmsg\n" +
        // no proc_write: EIO
        "sh: write error: Input/output error\n" +
        "rc=1\n",
    );
  });

  it("a foreground cat sleeps in the read until ^C", () => {
    const m = new Machine({ machine: "vexpress-a9", append: "quiet" });
    let out = "";
    m.onOutput((s) => {
      out += s;
    });
    m.boot();
    m.runUntilInput();
    m.input("\r");
    m.runUntilInput();
    out = "";
    m.input("cat /proc/kmsg | tail -n 1\r");
    m.run(Number.POSITIVE_INFINITY, 3000);
    m.input("\x03");
    m.runUntilInput();
    m.input("echo rc=$?\r");
    m.runUntilInput();
    expect(out).toBe("cat /proc/kmsg | tail -n 1\r\n^C\r\n/ # echo rc=$?\r\nrc=130\r\n/ # ");
  });

  it("/dev/kmsg: one record per read from the oldest, escaped, and a reader that waits", () => {
    const r = sh([
      "head -n 1 /dev/kmsg",
      "printf 'a\\\\b\\tc\\n' > /dev/kmsg",
      "cat /dev/kmsg > /tmp/dk & sleep 1; echo '<3>late' > /dev/kmsg; sleep 1; kill $!; wait",
      "tail -n 3 /tmp/dk | cut -d, -f1,4-",
    ]);
    expect(r.output).toBe(
      "6,0,0,-;Booting Linux on physical CPU 0x0\n" +
        // both new records are below console_loglevel: the console prints them
        "[    3.297094] a\\b\tc\n" +
        "[    4.297583] late\n" +
        "[1]+  Terminated                 cat /dev/kmsg >/tmp/dk\n" +
        "6,-;zram: Added device: zram0\n" +
        // LOG_USER at default_message_loglevel; '\\' and the tab as \xNN
        "12,-;a\\x5cb\\x09c\n" +
        "11,-;late\n",
    );
  });
});
