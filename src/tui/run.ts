/*
 * run.ts - the interactive console on a terminal (cli/main.ts imports this
 * lazily, so ink is loaded only when stdin and stdout are terminals).
 *
 * The machine's serial console is shown through a terminal emulator
 * (vt.ts) in an ink interface on the alternate screen: console, status
 * line, and the memory panel on F2. Simulated time follows the wall clock
 * (--speed scales it). Ctrl-A x quits; `poweroff` in the machine does too.
 */

import { render } from "ink";
import { createElement } from "react";
import { Machine, type MachineOptions } from "../machine.js";
import { CastWriter, castHeader } from "./cast.js";
import { Driver, startLoop } from "./driver.js";
import { terminalSize } from "./hooks/useTerminalSize.js";
import { computeLayout } from "./layout.js";
import { Tui } from "./Tui.js";

export interface TuiOptions extends MachineOptions {
  /** asciicast file to record the session to. */
  record?: string;
  /** Simulated seconds per wall-clock second (default 1). */
  speed?: number;
}

/**
 * ink's render options. Not incrementalRendering: in ink 6.8 it misplaces
 * its output by a row per frame when the frame ends with a newline and the
 * cursor is shown, which is exactly this app (the terminal's synchronized
 * output hides the full redraws instead).
 */
export const INK_OPTIONS = {
  exitOnCtrlC: false,
  patchConsole: false,
  // Frames are paced by the driver (30 per second at most, at once after a key); ink's own
  // throttle would hold a keystroke's echo back by up to 1000 / maxFps ms.
  maxFps: 1000,
} as const;

export async function runTui(o: TuiOptions): Promise<number> {
  const m = new Machine(o);
  const { cols, rows } = terminalSize(process.stdout);
  const con = computeLayout(cols, rows, false).console;
  const recorder = o.record
    ? new CastWriter(
        o.record,
        castHeader({ ...m.opts, mode: "tty", echo: false }, con.cols, con.rows, m.opts.rtc),
      )
    : null;
  const driver = new Driver(m, { speed: o.speed ?? 1, cols: con.cols, rows: con.rows, recorder });

  process.stdout.write("\x1b[?1049h\x1b[H\x1b[2J");
  const restore = (): void => {
    process.stdout.write("\x1b[?25h\x1b[?1049l");
  };
  process.once("exit", restore);
  try {
    driver.boot();
    const app = render(createElement(Tui, { driver }), INK_OPTIONS);
    const stop = startLoop(driver, () => {});
    await app.waitUntilExit();
    stop();
  } finally {
    recorder?.close();
    process.off("exit", restore);
    restore();
  }
  if (driver.state === "panic") return 255;
  return 0;
}
