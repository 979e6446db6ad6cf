/*
 * session.test.ts - the shell as a person meets it: the console shell of a
 * booted machine, driven through the plain front end with --echo, so the
 * output is a terminal transcript ("/ # command" then what it printed).
 *
 * Every expected transcript was checked against real BusyBox 1.35 ash
 * started as /bin/sh on a pty (what cttyhack gives the console shell), with
 * `sh -c 'while :; do :; done'` standing in for a long-running program.
 * Where real ash's output depends on host timing (whether a finished
 * background job is reported before the very next prompt or the one after),
 * the simulated machine's deterministic order is what is asserted.
 */

import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";

const LOOP = "sh -c 'while :; do :; done'";

/** A console at its first prompt, with helpers to type and to interrupt. */
function open(): {
  s: PlainSession;
  line: (text: string) => void;
  type: (text: string, ms?: number) => void;
  transcript: () => string;
} {
  const s = new PlainSession({ machine: "vexpress-a9", memory: 256 << 20, echo: true });
  return {
    s,
    /**
     * Types a line 100 ms after the prompt (a person at the keyboard: background jobs
     * run meanwhile), and runs until the console waits for input again.
     */
    line: (text) => {
      s.m.run(s.m.ns + 100e6);
      s.m.runUntilInput();
      s.line(text);
    },
    /** Types keys while something runs in the foreground, then lets it run `ms` simulated ms. */
    type: (text, ms = 2) => {
      s.m.input(text);
      s.m.run(s.m.ns + ms * 1e6, 1_000_000);
    },
    transcript: () => {
      s.m.runUntilInput();
      return s.take();
    },
  };
}

describe("console shell", () => {
  it("reports a missing command, a syntax error, and prompts with PS2", () => {
    const c = open();
    for (const l of ["nosuch", "echo $?", "if", "fi", "echo $?"]) c.line(l);
    expect(c.transcript()).toBe(
      "/ # nosuch\nsh: nosuch: not found\n/ # echo $?\n127\n/ # if\n> fi\n" +
        'sh: syntax error: unexpected "fi"\n/ # echo $?\n2\n/ # ',
    );
  });

  it("names the signal that killed a foreground job, and sets $? to 128+N", () => {
    const c = open();
    for (const sig of ["9", "SEGV", "TERM", "USR1"]) {
      c.line(`sh -c 'kill -${sig} $$'`);
      c.line("echo $?");
    }
    expect(c.transcript()).toBe(
      "/ # sh -c 'kill -9 $$'\nKilled\n/ # echo $?\n137\n" +
        "/ # sh -c 'kill -SEGV $$'\nSegmentation fault\n/ # echo $?\n139\n" +
        "/ # sh -c 'kill -TERM $$'\nTerminated\n/ # echo $?\n143\n" +
        "/ # sh -c 'kill -USR1 $$'\nUser defined signal 1\n/ # echo $?\n138\n/ # ",
    );
  });

  it("abandons the command line when the foreground job dies of SIGINT", () => {
    const c = open();
    c.line("sh -c 'kill -INT $$'; echo after");
    c.line("echo $?");
    expect(c.transcript()).toBe("/ # sh -c 'kill -INT $$'; echo after\n\n/ # echo $?\n130\n/ # ");
  });

  it("sends ^C to the foreground program, and to a loop of builtins", () => {
    const c = open();
    c.type(`${LOOP}\n`);
    c.type("\x03");
    c.line("echo $?");
    c.type("while :; do :; done\n");
    c.type("\x03");
    c.line("echo $?");
    expect(c.transcript()).toBe(
      `/ # ${LOOP}\n^C\n/ # echo $?\n130\n/ # while :; do :; done\n^C\n/ # echo $?\n130\n/ # `,
    );
  });

  it("stops the foreground job on ^Z and resumes it with fg", () => {
    const c = open();
    c.type(`${LOOP}\n`);
    c.type("\x1a");
    c.line("jobs");
    c.type("fg\n");
    c.type("\x03");
    c.line("echo $?");
    c.line("jobs");
    expect(c.transcript()).toBe(
      `/ # ${LOOP}\n^Z[1]+  Stopped                    ${LOOP}\n` +
        `/ # jobs\n[1]+  Stopped                    ${LOOP}\n` +
        `/ # fg\n${LOOP}\n^C\n/ # echo $?\n130\n/ # jobs\n/ # `,
    );
  });

  it("reports a stopped job killed with kill -9 %1 as Killed", () => {
    const c = open();
    c.type(`${LOOP}\n`);
    c.type("\x1a");
    c.line("kill -9 %1");
    c.line("jobs");
    expect(c.transcript()).toBe(
      `/ # ${LOOP}\n^Z[1]+  Stopped                    ${LOOP}\n` +
        `/ # kill -9 %1\n[1]+  Killed                     ${LOOP}\n/ # jobs\n/ # `,
    );
  });

  it("lets read, cat and a here-document take lines typed at the console", () => {
    const c = open();
    for (const l of ["read x", "hello world", 'echo "[$x]"', "cat", "line1"]) c.line(l);
    c.type("\x04");
    for (const l of ["cat <<E", "a $HOME", "E", "echo 'a", "b'"]) c.line(l);
    expect(c.transcript()).toBe(
      '/ # read x\nhello world\n/ # echo "[$x]"\n[hello world]\n/ # cat\nline1\nline1\n' +
        "/ # cat <<E\n> a $HOME\n> E\na /\n/ # echo 'a\n> b'\na\nb\n/ # ",
    );
  });

  it("reports background jobs that ended before the next prompt", () => {
    const c = open();
    for (const l of ["(exit 3) &", "sleep 1", `${LOOP} &`, "jobs", "kill %1", "jobs"]) c.line(l);
    expect(c.transcript()).toBe(
      "/ # (exit 3) &\n/ # sleep 1\n[1]+  Done(3)                    (exit 3)\n" +
        `/ # ${LOOP} &\n/ # jobs\n[1]+  Running                    ${LOOP}\n` +
        `/ # kill %1\n[1]+  Terminated                 ${LOOP}\n/ # jobs\n/ # `,
    );
  });

  it("lists a pipeline's processes with jobs -l, and bg resumes a stopped job", () => {
    const c = open();
    c.line(`${LOOP} | cat &`);
    c.line("jobs -l");
    c.line("kill %1");
    c.type(`${LOOP}\n`);
    c.type("\x1a");
    c.line("bg");
    c.line("jobs");
    c.line("kill %1");
    // pids are deterministic in a simulated machine: init is 1, the console shell and its jobs follow
    expect(c.transcript().replace(/\b\d\d\b/g, "NN")).toBe(
      `/ # ${LOOP} | cat &\n/ # jobs -l\n[1]+  NN Running                 ${LOOP}\n` +
        `      NN                         | cat\n/ # kill %1\n[1]+  Terminated                 ${LOOP} | cat\n` +
        `/ # ${LOOP}\n^Z[1]+  Stopped                    ${LOOP}\n/ # bg\n[1] ${LOOP}\n` +
        `/ # jobs\n[1]+  Running                    ${LOOP}\n/ # kill %1\n[1]+  Terminated                 ${LOOP}\n/ # `,
    );
  });

  it("refuses the first exit while a job is stopped, and runs the INT trap when ^C kills fg", () => {
    const c = open();
    c.type(`${LOOP}\n`);
    c.type("\x1a");
    for (const l of [`${LOOP} &`, "jobs", "exit", "jobs", "trap 'echo caught' INT"]) c.line(l);
    c.type("fg\n");
    c.type("\x03");
    c.line("echo $?");
    c.line("kill %2");
    expect(c.transcript()).toBe(
      `/ # ${LOOP}\n^Z[1]+  Stopped                    ${LOOP}\n/ # ${LOOP} &\n` +
        `/ # jobs\n[1]+  Stopped                    ${LOOP}\n[2]-  Running                    ${LOOP}\n` +
        "/ # exit\nYou have stopped jobs.\n" +
        `/ # jobs\n[1]+  Stopped                    ${LOOP}\n[2]-  Running                    ${LOOP}\n` +
        `/ # trap 'echo caught' INT\n/ # fg\n${LOOP}\n^Ccaught\n/ # echo $?\n130\n` +
        `/ # kill %2\n[2]+  Terminated                 ${LOOP}\n/ # `,
    );
    c.line("exit");
    expect(c.s.end()).toBe(0);
  });

  it("shows the working directory in the prompt", () => {
    const c = open();
    for (const l of ["cd /tmp", "cd /nonexistent", "cd", "cd /proc/sys/vm"]) c.line(l);
    expect(c.transcript()).toBe(
      "/ # cd /tmp\n/tmp # cd /nonexistent\nsh: cd: can't cd to /nonexistent: No such file or directory\n" +
        "/tmp # cd\n/ # cd /proc/sys/vm\n/proc/sys/vm # ",
    );
  });

  it("ends with the status of exit, and on ^D with the last status", () => {
    const c = open();
    c.line("exit 3");
    expect(c.s.end()).toBe(3);
    const d = open();
    d.line("false");
    expect(d.s.end()).toBe(1);
  });
});
