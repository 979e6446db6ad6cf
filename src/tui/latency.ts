/*
 * latency.ts - measureKeystrokeLatency(): how long a key takes to show on
 * the screen while the machine is busy (the TUI's target: under 20 ms with
 * `yes > /dev/null &` running). The bench harness (npm run bench) calls it.
 *
 * The whole interface runs as it does on a terminal: the Driver on the
 * wall clock, its event-loop pacing (startLoop), ink with the TUI's render
 * options, writing to an in-memory terminal. Each key is written to the
 * fake stdin from a timer, so it waits for the machine's current slice to
 * end exactly as a real keystroke waits for the event loop; its latency is
 * the time from the moment the timer was due to the first frame written
 * that shows the key echoed on the command line.
 *
 *   timer due ──(slice ends)──▶ stdin "readable" ──▶ Driver.key ──▶ machine echoes
 *            ──▶ React/ink render ──▶ stdout.write(frame containing "…/ # :abc") ◀── stop
 */

import { EventEmitter } from "node:events";
import { stripVTControlCharacters } from "node:util";
import { Machine, type MachineOptions } from "../machine.js";
import { Driver, startLoop } from "./driver.js";

export interface LatencyOptions {
  /** Keys to time (default 60). */
  keys?: number;
  /** The command that loads the machine (default `yes > /dev/null &`). */
  background?: string;
  /** Wall ms between keys (default 25: the background job runs in between). */
  gapMs?: number;
  /** The machine (default vexpress-a9, quiet boot). */
  machine?: Partial<MachineOptions>;
  /** Terminal size (default 100x30). */
  cols?: number;
  rows?: number;
  /** --speed of the session (default 1; tests boot faster with more). */
  speed?: number;
}

export interface LatencyResult {
  /** Milliseconds, one per key, in typing order. */
  samples: number[];
  p50: number;
  p95: number;
  max: number;
  mean: number;
  /** The load command, and what the console answered to it ("" when nothing). */
  background: string;
  backgroundOutput: string;
}

/** An in-memory terminal for ink: a keyboard and a screen that reports each write. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(s: string): void {
    this.data = s;
    this.emit("readable");
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

class FakeStdout extends EventEmitter {
  isTTY = true;
  onWrite: (s: string) => void = () => {};
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write(s: string): boolean {
    this.onWrite(s);
    return true;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function measureKeystrokeLatency(o: LatencyOptions = {}): Promise<LatencyResult> {
  // As `mmbox` runs the TUI: React's production build (if React is not loaded yet).
  process.env.NODE_ENV ??= "production";
  const [{ render }, { createElement }, { INK_OPTIONS }, { Tui }] = await Promise.all([
    import("ink"),
    import("react"),
    import("./run.js"),
    import("./Tui.js"),
  ]);
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 30;
  const nkeys = o.keys ?? 60;
  const gap = o.gapMs ?? 25;
  const background = o.background ?? "yes > /dev/null &";
  const m = new Machine({ machine: "vexpress-a9", append: "quiet", ...o.machine });
  const d = new Driver(m, { speed: o.speed ?? 1, cols, rows: rows - 2 });
  const stdin = new FakeStdin();
  const stdout = new FakeStdout(cols, rows);
  const stderr = new FakeStdout(cols, rows);
  d.boot();
  const app = render(createElement(Tui, { driver: d }), {
    ...INK_OPTIONS,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  const stop = startLoop(d, () => {});
  const cursorLine = (): string => d.vt.lines[d.vt.y].text();
  const until = async (cond: () => boolean, what: string, ms = 20_000): Promise<void> => {
    const end = performance.now() + ms;
    while (!cond()) {
      if (performance.now() > end) throw new Error(`measureKeystrokeLatency: timed out waiting for ${what}`);
      await sleep(5);
    }
  };
  try {
    await until(() => d.vt.text().includes("Please press Enter"), "the console");
    stdin.write("\r");
    await until(() => /[#$] $/.test(`${cursorLine()} `), "a prompt");
    stdin.write(`${background}\r`);
    await sleep(300);
    await until(() => /[#$]$/.test(cursorLine()), "the prompt after the load");
    const screen = d.vt.text();
    const answer = screen.slice(screen.lastIndexOf(background) + background.length);
    const backgroundOutput = answer.slice(0, answer.lastIndexOf("\n") + 1).trim();

    // The keys go on a comment line (": abc..."), a fresh one every 40 keys.
    const samples: number[] = [];
    let typed = "";
    for (let i = 0; i < nkeys; i++) {
      if (i % 40 === 0) {
        stdin.write("\x15: ");
        typed = ": ";
        await until(() => cursorLine().endsWith(typed.trimEnd()), "the comment line");
      }
      const ch = String.fromCharCode(97 + (i % 26));
      typed += ch;
      const want = typed;
      samples.push(
        await new Promise<number>((resolve, reject) => {
          const due = performance.now() + gap;
          let seen = "";
          const give = setTimeout(
            () => reject(new Error(`measureKeystrokeLatency: key ${i} never showed`)),
            gap + 5000,
          );
          stdout.onWrite = (s) => {
            seen += s;
            if (!stripVTControlCharacters(seen).includes(want)) return;
            stdout.onWrite = () => {};
            clearTimeout(give);
            resolve(performance.now() - due);
          };
          setTimeout(() => stdin.write(ch), gap);
        }),
      );
    }
    stdin.write("\x15");
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      samples,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1],
      mean: samples.reduce((a, b) => a + b, 0) / samples.length,
      background,
      backgroundOutput,
    };
  } finally {
    d.quit();
    stop();
    app.unmount();
  }
}
