/*
 * kernel-bugs.test.ts - shell behaviour that once failed because of the
 * kernel (each comment says what Linux does and what mmbox did): the
 * regression tests of those fixes.
 */

import { describe, expect, it } from "vitest";
import { session } from "../../helpers/machine.js";

/**
 * An interactive console (a terminal: prompts, job control), typed by a
 * person: each line comes 100 ms after the prompt, so a background job has
 * time to get going in between.
 */
function typed(...lines: string[]): string {
  const s = session({ echo: true });
  s.take();
  for (const l of lines) {
    s.m.run(s.m.ns + 100e6);
    s.m.runUntilInput();
    s.m.input(`${l}\r`);
    s.m.runUntilInput();
  }
  return s.take();
}

describe("kernel bugs seen from the shell", () => {
  // n_tty_read (kernel/drivers/tty.ts): a background process group reading
  // its terminal gets SIGTTIN and the read must fail with -ERESTARTSYS, so
  // that it starts again once the job is continued (fg). mmbox returns
  // -EINTR: the resumed cat saw "Interrupted system call" and gave up.
  it("a job stopped on tty input reads again after fg", () => {
    expect(typed("cat &", "echo x", "fg", "hello")).toBe(
      "cat &\n/ # echo x\nx\n[1]+  Stopped (tty input)        cat\n/ # fg\ncat\nhello\nhello\n",
    );
  });

  // do_signal / task_step (kernel/sched): SIGKILL sent to a stopped task
  // wakes it, and Linux's get_signal then dequeues the SIGKILL before the
  // task returns to user mode. mmbox resumes the program first, with the
  // result of the syscall it stopped in, so user code runs once more
  // ("cat: read error: ...") before the kill takes effect.
  it("SIGKILL ends a stopped job without letting it run", () => {
    expect(typed("cat &", "echo x", "kill -9 %1")).toBe(
      "cat &\n/ # echo x\nx\n[1]+  Stopped (tty input)        cat\n/ # kill -9 %1\n[1]+  Killed                     cat\n/ # ",
    );
  });

  // n_tty's isig() (kernel/drivers/tty.ts tty_receive): ^C with ISIG (and
  // no NOFLSH) flushes the terminal's queues, and a writer with a fatal
  // signal pending writes nothing more, so "^C" is the last thing on the
  // screen. mmbox echoes ^C and then lets `yes` finish another write of a
  // few kilobytes, so the ^C ends up in the middle of the y's (this is what
  // scripts/tui-e2e.sh reports as "no ^C echoed").
  it("^C is the last output of a program that floods the console", () => {
    const s = session({ echo: true });
    s.take();
    s.m.input("yes\r");
    s.m.run(s.m.k.clock.ns + 5e6);
    s.m.input("\x03");
    s.m.runUntilInput();
    expect(s.take().endsWith("y\n^C\n/ # ")).toBe(true);
  });
});
