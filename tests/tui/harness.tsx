/*
 * harness.tsx - the one render helper for the TUI: a machine (quiet boot,
 * so screens are short and whole-screen assertions stay readable), its
 * Driver on a fake wall clock, and the ink app in ink-testing-library
 * (100 columns, 24 rows: the console is 100x22).
 */

import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { Machine, type MachineOptions } from "../../src/machine.js";
import type { CastWriter } from "../../src/tui/cast.js";
import { Driver } from "../../src/tui/driver.js";
import { Tui } from "../../src/tui/Tui.js";
import { applets } from "../../src/user/applets/registry.js";

export const COLS = 100;
export const ROWS = 22;

export interface TuiHarness {
  d: Driver;
  m: Machine;
  /** Lets `ms` of wall-clock time pass, running the machine along in 10 ms slices. */
  advance(ms: number): Promise<void>;
  /** Sends bytes as the terminal would (one chunk, as a paste arrives). */
  type(bytes: string): Promise<void>;
  /** The console's whole screen as text (trailing blanks cut). */
  screen(): string;
  /** The last frame ink drew, without colours. */
  frame(): string;
  /** Changes the host terminal's size, as SIGWINCH would. */
  resize(cols: number, rows: number): Promise<void>;
  unmount(): void;
}

/** Lets React finish: UI state updates render from a Scheduler task, a turn or two of the event loop later. */
async function tick(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

export async function startTui(
  o: Partial<MachineOptions> & { recorder?: CastWriter } = {},
): Promise<TuiHarness> {
  const clock = { t: 0 };
  const { recorder, ...mo } = o;
  const m = new Machine({ machine: "vexpress-a9", append: "quiet", ...mo });
  const d = new Driver(m, { speed: 1, cols: COLS, rows: ROWS, now: () => clock.t, recorder });
  d.boot();
  const r = render(<Tui driver={d} />);
  await tick();
  const h: TuiHarness = {
    d,
    m,
    async advance(ms) {
      for (let t = 0; t < ms; t += 10) {
        clock.t += Math.min(10, ms - t);
        d.slice();
      }
      await tick();
    },
    async type(bytes) {
      r.stdin.write(bytes);
      await tick();
    },
    screen: () => d.vt.text(),
    frame: () => stripVTControlCharacters(r.lastFrame() ?? ""),
    async resize(cols, rows) {
      Object.defineProperty(r.stdout, "columns", { value: cols, configurable: true });
      Object.defineProperty(r.stdout, "rows", { value: rows, configurable: true });
      r.stdout.emit("resize");
      await tick();
    },
    unmount: () => r.unmount(),
  };
  return h;
}

/** A booted TUI at the shell prompt. */
export async function atPrompt(
  o: Partial<MachineOptions> & { recorder?: CastWriter } = {},
): Promise<TuiHarness> {
  const h = await startTui(o);
  await h.advance(3400);
  await h.type("\r");
  return h;
}

/** The expected console: these lines, then blank rows to the bottom. */
export function screenOf(...lines: string[]): string {
  const rows = [...lines];
  while (rows.length < ROWS) rows.push("");
  return rows.join("\n");
}

/** A shell prompt ("/ # ", "~ $ ") at the end of a line. */
export const PROMPT = /[#$] ?$/;

/** The screen's lines up to the cursor's row. */
export function linesToCursor(h: TuiHarness): string[] {
  return h
    .screen()
    .split("\n")
    .slice(0, h.d.vt.y + 1);
}

/**
 * What a command printed: the lines after the last line that ends with the
 * command as typed, up to (without) the cursor's row, which must be a prompt.
 */
export function outputOf(h: TuiHarness, cmd: string): string[] {
  const lines = linesToCursor(h);
  let i = lines.length - 1;
  while (i >= 0 && !lines[i].endsWith(cmd)) i--;
  if (i < 0) throw new Error(`'${cmd}' not on the screen:\n${h.screen()}`);
  if (!PROMPT.test(lines[lines.length - 1])) throw new Error(`no prompt at the cursor:\n${h.screen()}`);
  return lines.slice(i + 1, -1);
}

export const hasApplet = (name: string): boolean => applets.has(name);
