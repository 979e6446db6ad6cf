import { describe, expect, it } from "vitest";
import { date_parse as parse_datestr } from "../../../src/user/applets/date.js";
import { split_words } from "../../../src/user/applets/xargs.js";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

describe("date", () => {
  it("shows the simulated clock, which starts where the reference transcript's did", () => {
    expect(sh(["date", "date -u +%s"]).output).toMatch(/^Sun Nov 22 01:36:1\d UTC 2026\n179531137\d\n$/);
    expect(sh(["date -r /etc/passwd"]).output).toBe("Thu Jul  2 00:00:00 UTC 2026\n");
  });

  it.each([
    ["-d @86400", "Fri Jan  2 00:00:00 UTC 1970"],
    ["-d @86400 -R", "Fri, 02 Jan 1970 00:00:00 +0000"],
    ["-d @86400 -I", "1970-01-02"],
    ["-d @86400 -Ihours", "1970-01-02T00+00:00"],
    ["-d @86400 -Iminutes", "1970-01-02T00:00+00:00"],
    ["-d @86400 -Iseconds", "1970-01-02T00:00:00+00:00"],
    ["-d @86400 -Ins", "1970-01-02T00:00:00,000000000+00:00"],
    ["-d '2020-01-02 03:04:05'", "Thu Jan  2 03:04:05 UTC 2020"],
    ["-d 2020-01-02", "Thu Jan  2 00:00:00 UTC 2020"],
    ["-d 2020.01.02-03:04", "Thu Jan  2 03:04:00 UTC 2020"],
    ["-d 03:04:05", "Sun Nov 22 03:04:05 UTC 2026"],
    ["-d 0102030420", "Sat Feb  3 04:20:00 UTC 2001"],
    ["-D %d/%m/%Y -d 02/03/2021", "Tue Mar  2 00:00:00 UTC 2021"],
    ["-d @0 '+%s %j %V %a %A %b %B %y %H%M%S %%'", "0 001 01 Thu Thursday Jan January 70 000000 %"],
  ])("date %s", (args, out) => {
    expect(sh([`date ${args}`]).output).toBe(`${out}\n`);
  });

  it("refuses what it cannot parse or do", () => {
    expect(
      sh(["date -d foo; echo $?", "date -r /nope; echo $?", "date -I x; echo $?", "date 01020304; echo $?"])
        .output,
    ).toBe(
      "date: invalid date 'foo'\n1\ndate: can't stat '/nope': No such file or directory\n1\n" +
        "date: invalid date 'x'\n1\ndate: can't set date: Function not implemented\n1\n",
    );
    const usage = sh(["date a b", "echo $?"]).output;
    expect(usage.startsWith(`${BANNER}\n\nUsage: date [OPTIONS] [+FMT] [[-s] TIME]\n`)).toBe(true);
    expect(usage.endsWith("\t'date TIME' form accepts MMDDhhmm[[YY]YY][.ss] instead\n1\n")).toBe(true);
  });

  it("parse_datestr keeps today's date for hh:mm and reads [[[[[YY]YY]MM]DD]hh]mm", () => {
    const now = 1795311377; // 2026-11-22 01:36:17
    expect(parse_datestr("1200", now)).toBe(1795348800);
    expect(parse_datestr("221200", now)).toBe(1795348800);
    expect(parse_datestr("202611221200.30", now)).toBe(1795348830);
    expect(parse_datestr("11221200", now, true)).toBe(1795348800);
    expect(parse_datestr("123", now)).toBe(null);
  });
});

describe("xargs", () => {
  it("splits words like BusyBox: blanks, quotes, backslashes", () => {
    expect(split_words("a b  \"c d\" e\\ f\n'g h'", undefined)).toEqual(["a", "b", "c d", "e f", "g h"]);
    expect(split_words("a b STOP c", "STOP")).toEqual(["a", "b"]);
    expect(split_words("a 'b", undefined)).toBe("unmatched single quote");
    expect(split_words('a "b', undefined)).toBe("unmatched double quote");
  });

  it("runs commands with the words, -n at a time, -I per line, traced with -t", () => {
    const r = sh([
      "echo a b c | xargs",
      "echo a b c | xargs -n 2 echo X",
      "printf '1\\n2\\n' | xargs -I{} echo [{}]",
      "printf 'x\\000y z\\000' | xargs -0 -n 1 echo",
      "echo a b c | xargs -t -n 2 echo",
      "printf '' | xargs -r echo none",
      "printf '' | xargs echo none",
      "echo /proc/version | xargs cat",
    ]);
    expect(r.output).toMatch(
      /^a b c\nX a b\nX c\n\[1\]\n\[2\]\nx\ny z\necho a b\na b\necho c\nc\nnone\nLinux version 6\.1\.0-50-armmp .*\n$/,
    );
  });

  it("asks before each command with -p (the answer comes from the terminal) and runs -P at once", () => {
    const r = sh(["echo a b | xargs -p echo", "y", "echo a b | xargs -p echo", "n", "echo after"]);
    expect(r.output).toBe("echo a b ?...a b\necho a b ?...after\n");
    const p = sh(["printf '1\\n2\\n3\\n' | xargs -P 0 -n 1 echo", "printf 1 | xargs -P x echo; echo $?"]);
    expect(p.output).toBe("1\n2\n3\nxargs: invalid number 'x'\n1\n");
  });

  it("exits as BusyBox does when a command fails", () => {
    const r = sh([
      "echo a | xargs nosuch; echo rc=$?",
      "echo a | xargs sh -c 'exit 5'; echo rc=$?",
      "echo a | xargs sh -c 'exit 255'; echo rc=$?",
      "echo a | xargs sh -c 'kill -9 $$'; echo rc=$?",
      "echo a b | xargs -s 5 echo; echo rc=$?",
      'echo "a\'b" | xargs; echo rc=$?',
    ]);
    expect(r.output).toBe(
      "xargs: nosuch: No such file or directory\nrc=127\nrc=123\n" +
        "xargs: sh: exited with status 255; aborting\nrc=124\n" +
        "xargs: 'sh' terminated by signal 9\nrc=125\n" +
        "xargs: can't fit single argument within argument list size limit\nrc=1\n" +
        "xargs: unmatched single quote\nrc=1\n",
    );
  });
});

describe("watch", () => {
  it("clears the screen and runs the command every -n seconds under a header", () => {
    const r = sh([
      "watch -n 1 cat /proc/version > /tmp/w &",
      "vmstat 1 3 > /dev/null",
      "kill %1",
      "cat /tmp/w",
    ]);
    const screens = r.output.split("\x1b[H\x1b[J").slice(1);
    expect(screens.length).toBeGreaterThanOrEqual(2);
    expect(screens[0]).toMatch(
      /^Every 1\.0s: cat \/proc\/version {31}2026-11-22 01:36:\d\d\n\nLinux version 6\.1\.0-50-armmp .*\n$/,
    );
    expect(screens[0].split("\n")[0].length).toBe(79);
    const t = sh([
      "watch -t -n 0.5 cat /proc/loadavg > /tmp/w &",
      "vmstat 1 3 > /dev/null",
      "kill %1",
      "cat /tmp/w",
    ]);
    expect(t.output.split("\x1b[H\x1b[J")[1]).toMatch(/^\d\.\d\d \d\.\d\d \d\.\d\d \d+\/\d+ \d+\n$/);
  });

  it("needs a command", () => {
    expect(sh(["watch", "echo $?"]).output).toBe(
      `${BANNER}\n\nUsage: watch [-n SEC] [-t] PROG ARGS\n\nRun PROG periodically\n\n\t-n SEC\tPeriod (default 2)\n\t-t\tDon't print header\n1\n`,
    );
  });
});
