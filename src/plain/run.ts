/*
 * run.ts - the plain front end: stdin is not a terminal (or --plain, or -c).
 *
 * The machine boots silently to its prompt; then each line of input is
 * typed at the console as soon as the shell (or a foreground program)
 * reads it - background jobs run on meanwhile, as with a real pipe, they
 * are not waited for - and the console's output goes to stdout as plain
 * text. With --echo the
 * console behaves like a real terminal transcript: the prompt and the typed
 * command appear before each output ("/ # free"). At the end of the input
 * the console gets ^D, the shell exits, and mmbox exits with its status.
 * Simulated time runs as fast as the host can go.
 *
 * The console carries bytes (latin1 strings inside mmbox): stdin's bytes
 * are typed as they come, text given as JS strings (-c, a test's lines) is
 * typed as its UTF-8 bytes, and the console's bytes go to stdout as they
 * are - `echo é`, `cat` of a binary file come out as on a real console.
 */

import type { Readable, Writable } from "node:stream";
import { Machine, type MachineOptions } from "../machine.js";

export interface PlainOptions extends MachineOptions {
  /** Show the prompt and the typed commands, like a terminal transcript. */
  echo?: boolean;
  /** Show the boot log as well. */
  bootLog?: boolean;
}

/** A plain session: boot, then type lines one at a time. */
export class PlainSession {
  readonly m: Machine;
  private out = "";
  private live: boolean;
  private state: "input" | "exited" | "halted" | "idle";

  constructor(readonly o: PlainOptions) {
    this.m = new Machine({ ...o, transcript: !o.echo });
    this.live = o.bootLog ?? false;
    // Before going live, the last unfinished line is kept: it is the shell's first prompt.
    let tail = "";
    // The console's output before the prompt, shown only if the boot ends in a panic.
    let boot = "";
    this.m.onOutput((s) => {
      const text = o.echo ? s.replace(/\r\n/g, "\n") : s;
      if (this.live) this.out += text;
      else {
        tail = (tail + text).slice((tail + text).lastIndexOf("\n") + 1);
        if (this.m.panicked || boot.length < 1 << 20) boot += text;
      }
    });
    this.m.boot();
    // init's askfirst waits for Enter: press it, then wait for the shell's first read.
    this.state = this.m.runUntilInput();
    if (this.state === "input") {
      this.m.input("\r");
      this.state = this.m.runUntilInput();
    }
    this.live = true;
    // A boot that panicked never reaches a prompt: show what the console showed.
    if (this.m.panicked && !o.bootLog) this.out += boot;
    this.m.attachShell();
    if (o.echo && this.state === "input" && !o.bootLog) this.out += tail;
  }

  /** Output produced since the last call. */
  take(): string {
    const s = this.out;
    this.out = "";
    return s;
  }

  /** Can another line be typed? */
  get ready(): boolean {
    return this.state === "input";
  }

  /** Types one line of bytes (a latin1 string) and runs until the console waits again. */
  line(text: string): void {
    if (this.state !== "input") return;
    this.m.input(`${text}\n`);
    this.state = this.m.runUntilInput();
  }

  /** Ends the input (^D) and returns the shell's exit status. */
  end(): number {
    if (this.state === "input") {
      this.m.input("\x04");
      this.state = this.m.runUntilInput();
    }
    if (this.m.panicked) return 255;
    return this.m.shellStatus ?? 0;
  }
}

/** Runs a whole script at once (tests, -c): its output and exit status. */
export function runLines(lines: string[], o: PlainOptions): { output: string; status: number } {
  const s = new PlainSession(o);
  let output = "";
  for (const l of lines) {
    if (!s.ready) break;
    // a test's lines are text: typed as their UTF-8 bytes
    s.line(Buffer.from(l, "utf8").toString("latin1"));
    output += s.take();
  }
  const status = s.end();
  return { output: output + s.take(), status };
}

/**
 * Sees a plain session as it runs (--record): what it prints ("o") and each
 * input line it types, "\n" included, then "\x04" at the end ("i"), with the
 * simulated time in ns.
 */
export type PlainTap = (data: string, kind: "o" | "i", ns: number) => void;

/** The plain front end on streams: returns the shell's exit status. */
export async function runPlain(
  o: PlainOptions,
  input: Readable,
  output: Writable,
  lines?: string[],
  tap?: PlainTap,
  /** Called with the simulated time the session ended at. */
  onEnd?: (ns: number) => void,
): Promise<number> {
  let broken = false;
  output.on?.("error", () => {
    broken = true;
  });
  const s = new PlainSession(o);
  const write = (text: string): void => {
    if (!text || broken) return;
    output.write(Buffer.from(text, "latin1"));
    tap?.(text, "o", s.m.ns);
  };
  write(s.take());
  const source = async function* (): AsyncGenerator<string> {
    if (lines) {
      for (const l of lines) yield Buffer.from(l, "utf8").toString("latin1");
      return;
    }
    yield* byteLines(input);
  };
  for await (const line of source()) {
    if (!s.ready || broken) break;
    tap?.(`${line}\n`, "i", s.m.ns);
    s.line(line);
    write(s.take());
  }
  if (s.ready) tap?.("\x04", "i", s.m.ns);
  const status = s.end();
  write(s.take());
  onEnd?.(s.m.ns);
  return status;
}

/** stdin's lines as byte strings (latin1), without their "\n" or "\r\n"; a last line without one too. */
async function* byteLines(input: Readable): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of input) {
    buf +=
      typeof chunk === "string" ? Buffer.from(chunk, "utf8").toString("latin1") : chunk.toString("latin1");
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      yield buf.slice(0, nl > 0 && buf[nl - 1] === "\r" ? nl - 1 : nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf("\n");
    }
  }
  if (buf) yield buf;
}
