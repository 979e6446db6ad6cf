/*
 * replay.ts - `mmbox replay [--check] FILE.cast`: boots a fresh machine with
 * the settings in the recording's header and types the recorded input again
 * at the recorded simulated times, then compares the output.
 *
 *   plain recordings: the "i" events are whole lines (then ^D at the end);
 *                     they go through PlainSession exactly as the plain front end types them.
 *   tty recordings:   the "i" events are raw keys at whole simulated microseconds,
 *                     "r" events are resizes; each one is applied after runTo(its time),
 *                     which is how the TUI's driver delivered it.
 *
 * The machine is deterministic (DESIGN.md section 4), so the output must be
 * the same byte for byte; the first difference is reported by line and column.
 * A recording cut off (SIGKILL: no "exit" mark) is checked as far as it goes.
 */

import { MACHINE_NAMES, type MachineName } from "../hw/profiles.js";
import { Machine } from "../machine.js";
import { PlainSession } from "../plain/run.js";
import { type Cast, CastError, castEnd, castNs, type SessionSettings } from "./cast.js";
import { runTo } from "./driver.js";

/** The recorded output: all "o" events, as text. */
export const recordedOutput = (c: Cast): string =>
  c.events
    .filter((e) => e[1] === "o")
    .map((e) => e[2])
    .join("");

function machineOptions(s: SessionSettings, name: string) {
  if (!(MACHINE_NAMES as readonly string[]).includes(s.machine))
    throw new CastError(`${name}: unknown machine '${s.machine}' in the header`);
  const { machine, memory, smp, seed, append, numa, disks } = s;
  return { machine: machine as MachineName, memory, smp, seed, append, numa, disks };
}

/** Re-runs a recording; returns its output as the recording would have it ("\r\n" line ends). */
export function replayOutput(c: Cast, s: SessionSettings, name: string): string {
  return s.mode === "plain" ? replayPlain(c, s, name) : replayTty(c, s, name);
}

function replayPlain(c: Cast, s: SessionSettings, name: string): string {
  const session = new PlainSession({ ...machineOptions(s, name), echo: s.echo });
  let out = session.take();
  let line = "";
  for (const [, code, data] of c.events) {
    if (code !== "i") continue;
    for (const ch of data) {
      if (ch === "\n") {
        session.line(line);
        out += session.take();
        line = "";
      } else if (ch === "\x04") {
        session.end();
        out += session.take();
      } else line += ch;
    }
  }
  return Buffer.from(out, "latin1").toString("utf8").replace(/\r?\n/g, "\r\n");
}

function replayTty(c: Cast, s: SessionSettings, name: string): string {
  const m = new Machine(machineOptions(s, name));
  const dec = new TextDecoder("utf-8");
  let out = "";
  m.onOutput((b) => {
    out += dec.decode(Buffer.from(b, "latin1"), { stream: true });
  });
  m.resize(c.header.width, c.header.height);
  m.boot();
  // A whole recording ends at its exit mark; a cut-off one at its last event.
  let end = castEnd(c) ?? 0;
  for (const [t, code, data] of c.events) {
    const ns = castNs(t);
    end = Math.max(end, ns);
    if (code === "i") {
      runTo(m, ns);
      m.input(Buffer.from(data, "utf8").toString("latin1"));
    } else if (code === "r") {
      const size = /^(\d+)x(\d+)$/.exec(data);
      if (!size) throw new CastError(`${name}: bad resize event '${data}' (accepted: COLSxROWS)`);
      runTo(m, ns);
      m.resize(Number(size[1]), Number(size[2]));
    }
  }
  runTo(m, end);
  return out;
}

export interface Difference {
  line: number;
  column: number;
  expected: string;
  got: string;
}

/** Where two outputs first differ (1-based line and column; "\r" does not count as a column). */
export function firstDifference(expected: string, got: string): Difference | null {
  if (expected === got) return null;
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  const before = expected.slice(0, i);
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = before.slice(lineStart).replace(/\r/g, "").length + 1;
  const rest = (s: string): string => {
    const r = s.slice(i);
    const nl = r.indexOf("\n");
    return (nl >= 0 ? r.slice(0, nl + 1) : r).slice(0, 60);
  };
  return { line: before.split("\n").length, column, expected: rest(expected), got: rest(got) };
}

/** A difference as one line: `expected "free\r\n" got "end of output"`. */
export function describeDifference(d: Difference): string {
  const q = (s: string): string => (s === "" ? "end of output" : JSON.stringify(s));
  return `output differs at line ${d.line}, column ${d.column}: expected ${q(d.expected)}, got ${q(d.got)}`;
}

export interface ReplayCheck {
  /** The first difference (null: identical). */
  diff: Difference | null;
  /** The recording ends with an exit mark (else only its length of output was compared). */
  whole: boolean;
}

/** Re-runs a recording and compares its output with the recorded one. */
export function checkReplay(c: Cast, s: SessionSettings, name: string): ReplayCheck {
  const expected = recordedOutput(c);
  const got = replayOutput(c, s, name);
  const whole = castEnd(c) !== null;
  return { diff: firstDifference(expected, whole ? got : got.slice(0, expected.length)), whole };
}
