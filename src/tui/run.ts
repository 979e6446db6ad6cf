/*
 * run.ts - the interactive console on a terminal. Until the ink interface
 * lands, the terminal is attached to the machine's serial console the way
 * `qemu-system-arm -nographic` attaches it: raw keys in, console bytes out,
 * simulated time following the wall clock.
 */

import { Machine, type MachineOptions } from "../machine.js";

export interface TuiOptions extends MachineOptions {
  record?: string;
}

export async function runTui(o: TuiOptions): Promise<number> {
  const m = new Machine(o);
  m.onOutput((s) => process.stdout.write(s));
  m.boot();
  const stdin = process.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.on("data", (d: Buffer) => {
    // Ctrl-A x quits, as in QEMU's -nographic monitor.
    const s = d.toString("latin1");
    if (s === "\x01x") {
      m.k.sched.halted = "QEMU: Terminated";
      return;
    }
    m.input(s);
  });
  const start = Date.now();
  return await new Promise<number>((resolve) => {
    const tick = (): void => {
      const target = (Date.now() - start) * 1e6;
      m.run(Math.max(target, m.k.clock.ns), 20000);
      if (m.shellStatus !== null && !m.waitingForInput()) {
        // init respawns the console shell: keep going, as a real console does.
      }
      if (m.panicked || m.k.sched.halted) {
        stdin.setRawMode?.(false);
        stdin.pause();
        resolve(m.panicked ? 255 : 0);
        return;
      }
      setTimeout(tick, 10);
    };
    tick();
  });
}
