import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/** Drops the "[1] 37" lines an interactive shell may print when it starts a job. */
const nojobs = (out: string): string => out.replace(/^\[\d+\] \d+\n/gm, "");

/** Splits ps output into its header, the kernel threads ([name], no memory) and the rest. */
function split(out: string): { header: string; kthreads: string[]; user: string[] } {
  const lines = out.split("\n");
  expect(lines.pop()).toBe("");
  const [header, ...rest] = lines;
  return {
    header,
    kthreads: rest.filter((l) => /\[[^\]]+\]$/.test(l)),
    user: rest.filter((l) => !/\[[^\]]+\]$/.test(l)),
  };
}

/** The console shell's pid (after init, the kernel threads and rcS's commands): the pids below count from it. */
const SH = Number(sh(["echo $$"]).output);
const pid = (n: number): string => String(n).padStart(5);

describe("ps", () => {
  it("lists every process as PID USER COMMAND, kernel threads in brackets", () => {
    // (ps once cat has started: ash re-executes it through /proc/self/exe, and until its main
    // renames it the new process is "exe")
    const r = sh(["cat /dev/zero > /dev/null &", "sleep 1", "ps"]);
    const { header, kthreads, user } = split(nojobs(r.output));
    expect(header).toBe("PID   USER     COMMAND");
    expect(kthreads.length).toBeGreaterThan(10);
    for (const l of kthreads) expect(l).toMatch(/^ {0,4}\d{1,5} root {5}\[[a-zA-Z0-9_/:+-]{1,15}\]$/);
    expect(kthreads[0]).toBe("    2 root     [kthreadd]");
    expect(kthreads.filter((l) => /^ +\d+ root {5}\[kswapd0\]$/.test(l))).toHaveLength(1);
    expect(user).toEqual([
      "    1 root     /init",
      `${pid(SH)} root     sh -l`,
      `${pid(SH + 1)} root     cat /dev/zero`,
      // a NOEXEC applet: the shell's child, renamed, with the shell's command line
      `${pid(SH + 3)} root     {ps} sh -l`,
    ]);
  });

  it("prints the columns -o asks for, headers renamed or hidden", () => {
    const r = sh(["ps -o pid,ppid,pgid,sid,tty,nice,user,group,comm | cat > /tmp/o", "cat /tmp/o"]);
    const { header, user } = split(r.output);
    expect(header).toBe("PID   PPID  PGID  SID   TT     NI    USER     GROUP    COMMAND");
    // ps runs in the child ash forked first (no exec): the pipeline's cat is still the shell's
    // second child, not exec'd yet (real BusyBox shows it so too, most of the time)
    expect(user.slice(-3)).toEqual([
      `${pid(SH)} ${pid(1)} ${pid(SH)} ${pid(SH)} 204,64     0 root     root     sh`,
      `${pid(SH + 1)} ${pid(SH)} ${pid(SH + 1)} ${pid(SH)} 204,64     0 root     root     ps`,
      `${pid(SH + 2)} ${pid(SH)} ${pid(SH + 1)} ${pid(SH)} 204,64     0 root     root     sh`,
    ]);
    const hidden = sh(["ps -o pid=,comm= | cat > /tmp/o", "cat /tmp/o"]).output.split("\n");
    expect(hidden[0]).toBe("    1 init");
    // A header narrower than the value: "%*s" with a negative width still pads.
    const narrow = sh(["ps -o pid=P,args=CMD | cat > /tmp/o", "cat /tmp/o"]).output.split("\n");
    // args is then 3 wide too: "/in" no longer starts with comm "init" (real BusyBox: "1 {pr");
    // the shell's "sh -l" still does.
    expect(narrow.slice(0, 3)).toEqual(["P CMD", "1 {in", "2 [kt"]);
    expect(narrow).toContain(`${SH}sh`);
  });

  it("shows VSZ and RSS in smart_ulltoa4 form, 0 and W for kernel threads", () => {
    const r = sh(["ps -o pid,vsz,rss,stat,comm"]);
    const lines = r.output.split("\n");
    expect(lines[0]).toBe("PID   VSZ  RSS  STAT COMMAND");
    expect(lines[2]).toBe("    2    0    0 SW   kthreadd");
  });

  it("rejects a bad -o name and a bad option as BusyBox does", () => {
    expect(sh(["ps -o pid,foo", "echo $?"]).output).toBe(
      "ps: bad -o argument 'foo', supported arguments: user,group,comm,args,pid,ppid,pgid,nice,rgroup,ruser,tty,vsz,sid,stat,rss\n1\n",
    );
    expect(sh(["ps -x", "echo $?"]).output).toBe(
      `ps: invalid option -- 'x'\n${BANNER}\n\nUsage: ps [-o COL1,COL2=HEADER] [-T]\n\nShow list of processes\n\n` +
        "\t-o COL1,COL2=HEADER\tSelect columns for display\n\t-T\t\t\tShow threads\n1\n",
    );
  });
});

describe("kill, killall, pidof", () => {
  it("lists signals", () => {
    const names =
      "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS".split(
        " ",
      );
    const list = names.map((n, i) => `${String(i + 1).padStart(2)}) ${n}\n`).join("");
    expect(sh(["/bin/kill -l"]).output).toBe(list);
    expect(sh(["/bin/kill -l 137 9 0 100 kill sigterm Io"]).output).toBe(
      "KILL\nKILL\nEXIT\n100\n9\n15\n29\n",
    );
    expect(sh(["/bin/kill -l 1 FOO", "echo $?"]).output).toBe("HUP\nkill: unknown signal 'FOO'\n1\n");
  });

  it("signals processes by pid and by name, and says why it could not", () => {
    const r = sh([
      "cat /dev/zero > /dev/null &",
      "pidof cat > /tmp/pidof",
      `/bin/kill -STOP ${SH + 1}; echo $?`,
      "ps -o pid,stat,comm > /tmp/ps",
      `/bin/kill -s CONT ${SH + 1} 99999; echo $?`,
      "killall -9 cat; echo $?",
      "wait",
      "pidof cat; echo $?",
      "killall cat; echo $?",
      "killall -q cat; echo $?",
      "/bin/kill -FOO 1; echo $?",
      "/bin/kill; echo $?",
      "/bin/kill 12x; echo $?",
      "cat /tmp/pidof /tmp/ps",
    ]);
    const [out, ps] = nojobs(r.output).split("PID   STAT COMMAND\n");
    expect(out).toBe(
      "0\n[1]+  Stopped (signal)           cat /dev/zero >/dev/null\n" +
        "kill: can't kill pid 99999: No such process\n1\n" +
        "0\n" +
        "[1]+  Killed                     cat /dev/zero >/dev/null\n" +
        "1\n" +
        "killall: cat: no process killed\n1\n" +
        "1\n" +
        "kill: bad signal name 'FOO'\n1\n" +
        "kill: you need to specify whom to kill\n1\n" +
        `kill: invalid number '12x'\n1\n${SH + 1}\n`,
    );
    expect(ps.split("\n").filter((l) => l.endsWith(" cat"))).toEqual([`${pid(SH + 1)} T    cat`]);
  });

  it("pidof prints the newest first, and fails when nothing matches", () => {
    const r = sh([
      "cat /dev/zero > /dev/null &",
      "cat /dev/zero > /dev/null &",
      "pidof cat init sh",
      "pidof nosuch; echo $?",
    ]);
    expect(nojobs(r.output)).toBe(`${SH + 2} ${SH + 1} 1 ${SH}\n1\n`);
    expect(sh(["pidof -s sh", "echo $?"]).output).toBe(
      `pidof: invalid option -- 's'\n${BANNER}\n\nUsage: pidof [NAME]...\n\nList PIDs of all processes with names that match NAMEs\n1\n`,
    );
  });
});
