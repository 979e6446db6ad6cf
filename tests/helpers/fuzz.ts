/*
 * fuzz.ts - the console the fuzz tests type random input at (the shell's
 * token soup, the applets' random options): one machine, rebooted when its
 * shell is gone. After each input the machine must be sound: no kernel
 * panic, the invariants hold, no JavaScript error or stack trace on the
 * console, and the shell still answers `echo alive`.
 *
 * Input that starts something that never ends (`cat` reading the console,
 * `while :; do :; done`, `watch`) or leaves the shell waiting for the rest
 * of a command (an open quote) gets ^C, as a person would type it.
 */

import { expect } from "vitest";
import { PlainSession } from "../../src/plain/run.js";

/** What must never reach the console: a program's internal error, a JavaScript error or stack frame. */
const BROKEN =
  /internal error in program|Segmentation fault|TypeError|RangeError|ReferenceError|\bat [\w.<>]+ \(|\n\s+at \S+ \(/;

export interface FuzzConsoleOptions {
  /** A line typed after each boot (files to work on, a directory to be in). */
  setup?: string;
  /** Simulated ns each input gets before a ^C (up to five times). */
  patience?: number;
}

export class FuzzConsole {
  s: PlainSession;
  out = "";

  constructor(private readonly o: FuzzConsoleOptions = {}) {
    this.s = this.boot();
  }

  private boot(): PlainSession {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 128 << 20 });
    if (this.o.setup) s.line(this.o.setup);
    s.take();
    return s;
  }

  private atPrompt(): boolean {
    const m = this.s.m;
    return m.waitingForInput() && m.k.console.read_buf.length === 0;
  }

  /** Types text as it is (a line ends with "\n"); ^C until the shell reads again. */
  type(text: string): void {
    const m = this.s.m;
    m.input(text);
    for (let i = 0; i < 5 && !m.panicked && m.shellStatus === null; i++) {
      m.run(m.ns + (this.o.patience ?? 2e9), 200_000);
      if (this.atPrompt()) break;
      m.input("\x03");
    }
    this.out += this.s.take();
  }

  /** The machine is sound after `line` and the shell answers; reboots it if the shell exited. */
  check(line: string): void {
    const m = this.s.m;
    expect(m.panicked).toBeNull();
    m.checkInvariants();
    expect(m.panicked).toBeNull();
    if (BROKEN.test(this.out)) throw new Error(`${line}\n${this.out}`);
    if (m.shellStatus !== null) {
      this.s = this.boot();
      this.out = "";
      return;
    }
    let answered = false;
    for (let i = 0; i < 3 && !answered; i++) {
      this.out = "";
      this.type("echo alive\n");
      answered = this.out.endsWith("alive\n");
      if (!answered) this.type("\x03");
    }
    expect(answered, line).toBe(true);
    this.out = "";
  }
}
