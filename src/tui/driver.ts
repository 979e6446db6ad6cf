/*
 * driver.ts - runs the machine behind the TUI: simulated time follows the
 * wall clock (times --speed), in small slices so the interface stays
 * responsive, and console output goes into the terminal emulator.
 *
 *   wall clock ──target(now)──▶ run(until, a few hundred steps) ─┐ repeat for ≤ SLICE_MS,
 *                                                                 │ then yield to the event loop
 *   keys ──▶ key(): the line editor (canonical mode, lineedit.ts) or straight on; whatever
 *               is typed: run to a whole microsecond, input(), run LEAD ahead so the echo shows now
 *   console bytes ──▶ queue (ns, bytes) ──released when the wall clock reaches ns──▶ Vt
 *
 * The release queue is what makes the boot log scroll by at its own pace:
 * boot() prints it all at once, stamped 0 to ~3.3 simulated seconds.
 *
 * Determinism: input reaches the machine only at a whole simulated
 * microsecond after every CPU has run up to it (runTo), which is exactly
 * what a replay does with the recorded times, so `mmbox replay --check`
 * reproduces a TUI session. When the host cannot keep up, the pacing
 * anchor slides (the machine runs slower than real time, as the status line
 * shows) instead of building a backlog. No ink in this file.
 */

import type { Machine, MemSnapshot, ZonePfnMap } from "../machine.js";
import type { CastWriter } from "./cast.js";
import { splitKeys, toBytes } from "./keys.js";
import { LineEditor } from "./lineedit.js";
import { Vt } from "./vt.js";

/**
 * Host milliseconds one slice may take before yielding to input and
 * rendering: a key waits for the slice in progress, so this bounds part of
 * its latency (measureKeystrokeLatency in latency.ts).
 */
export const SLICE_MS = 2;
/**
 * Scheduler steps per Machine.run call between host clock checks, at most.
 * How long a step takes depends on the load (a few microseconds for `yes`,
 * up to milliseconds for memhog's faults), and a key waits for the call in
 * progress, so the chunk adapts to take about CHUNK_MS of host time.
 */
const STEP_CHUNK = 200;
/** Host milliseconds one Machine.run call of a slice should take. */
const CHUNK_MS = 0.5;
/** Steps per run call after a key, so that run stops soon after the echo. */
const KEY_STEP_CHUNK = 20;
/** Simulated time a key lets the machine run ahead of the wall clock (its echo shows at once). */
const LEAD_NS = 2_000_000;
/** Host time the run after a key may take. */
const KEY_RUN_MS = 4;
/** The machine may fall this far (wall ms) behind before the pacing gives up catching up. */
const MAX_LAG_MS = 100;
/** Host ms between output-driven frames (30 per second); keys redraw at once. */
const FRAME_MS = 33;
/** Host ms between frames when only the clock moves (the uptime in the status line). */
const IDLE_FRAME_MS = 200;

export type DriverState = "running" | "halted" | "panic" | "quit";

/**
 * Runs the machine until every CPU has reached simulated time `ns` (or it
 * halts). Replay calls this with the recorded times.
 */
export function runTo(m: Machine, ns: number): void {
  for (;;) {
    const r = m.run(ns, 20000);
    if (r !== "budget" && r !== "stopped") return;
  }
}

/** The next whole simulated microsecond at or after the machine's clock. */
export const nextMicro = (ns: number): number => Math.ceil(ns / 1000) * 1000;

export interface DriverOptions {
  /** Simulated seconds per wall-clock second. */
  speed: number;
  cols: number;
  rows: number;
  recorder?: CastWriter | null;
  /** Host clock in ms (performance.now by default; tests pass their own). */
  now?: () => number;
}

export interface DriverStatus {
  machine: string;
  memoryMiB: number;
  smp: number;
  uptimeNs: number;
  speed: number;
  /** Simulated seconds per wall second over the last second or so. */
  actualSpeed: number;
  recording: boolean;
  state: DriverState;
  panic: string | null;
}

/** Keys after which the machine must run before the next key is looked at (it may start or stop reading). */
const RUN_AFTER = new Set(["\r", "\n", "\x03", "\x04", "\x1a", "\x1c"]);

export class Driver {
  readonly vt: Vt;
  /** Local line editing while the console is in canonical mode (lineedit.ts). */
  readonly editor: LineEditor;
  state: DriverState = "running";
  /** Bumped whenever something visible changed (useSyncExternalStore's snapshot). */
  frame = 0;
  private readonly now: () => number;
  private readonly rec: CastWriter | null;
  private pending: [number, string][] = [];
  private replies: string[] = [];
  private listeners = new Set<() => void>();
  private hostAnchor = 0;
  private simAnchor = 0;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private shownVersion = -1;
  private rate = { host: 0, sim: 0, value: 0 };
  /** Steps per run call in a slice (see STEP_CHUNK). */
  private chunk = STEP_CHUNK;
  private mem: { at: number; snap: MemSnapshot } | null = null;
  private pfn: { at: number; perLine: number; lines: number; map: ZonePfnMap[] } | null = null;

  constructor(
    readonly m: Machine,
    readonly o: DriverOptions,
  ) {
    this.now = o.now ?? (() => performance.now());
    this.rec = o.recorder ?? null;
    this.vt = new Vt(o.cols, o.rows);
    this.vt.onReply = (s) => this.replies.push(s);
    this.editor = new LineEditor(this.vt, m);
    m.onOutput((s) => {
      this.rec?.output(s, m.ns);
      this.pending.push([m.ns, s]);
    });
  }

  /** Powers the machine on; the boot log is released as the wall clock reaches its times. */
  boot(): void {
    this.m.resize(this.vt.cols, this.vt.rows);
    this.hostAnchor = this.now();
    this.simAnchor = this.m.ns;
    this.rate = { host: this.hostAnchor, sim: this.simAnchor, value: this.o.speed };
    this.m.boot();
    this.check();
  }

  /** Simulated time the wall clock says it is. */
  target(now = this.now()): number {
    return this.simAnchor + (now - this.hostAnchor) * 1e6 * this.o.speed;
  }

  /**
   * Runs toward the wall clock for at most `budgetMs` of host time. "busy":
   * more to do now; "waiting": caught up (timers or running tasks ahead);
   * "idle": nothing will happen until a key; "stopped": the machine is off.
   */
  slice(budgetMs = SLICE_MS): "busy" | "waiting" | "idle" | "stopped" {
    if (this.state !== "running") return "stopped";
    const start = this.now();
    let target = this.target(start);
    const maxLag = MAX_LAG_MS * 1e6 * this.o.speed;
    if (target - this.m.ns > maxLag) {
      this.simAnchor -= target - this.m.ns - maxLag;
      target = this.m.ns + maxLag;
    }
    let r = this.runChunk(target);
    while (r === "budget" && this.now() - start < budgetMs) r = this.runChunk(target);
    this.answer();
    this.release(this.target());
    this.check();
    this.measure();
    this.maybeNotify(false);
    if (this.state !== "running") return "stopped";
    if (r === "budget" || r === "stopped") return "busy";
    return this.m.idle() && this.pending.length === 0 ? "idle" : "waiting";
  }

  /** One Machine.run call of about CHUNK_MS of host time: the step count follows what steps cost. */
  private runChunk(until: number): ReturnType<Machine["run"]> {
    const t = this.now();
    const r = this.m.run(until, this.chunk);
    const ms = this.now() - t;
    if (r === "budget" && ms > 2 * CHUNK_MS) this.chunk = Math.max(1, this.chunk >> 1);
    else if (r === "budget" && ms < CHUNK_MS / 2) this.chunk = Math.min(STEP_CHUNK, this.chunk * 2);
    return r;
  }

  /**
   * Keys typed at the console, as the terminal sends them (UTF-8 decoded;
   * a paste is many keys). While the console waits for a whole line in
   * canonical mode, the line editor takes them; otherwise they are typed
   * at the console as they come.
   */
  key(input: string): void {
    if (this.state !== "running" || !input) return;
    this.release(Number.POSITIVE_INFINITY);
    let raw = "";
    for (const k of splitKeys(input)) {
      if (this.state !== "running") break;
      if (!raw) {
        const wants = this.m.consoleWantsLine();
        if (this.editor.active && !wants) raw += this.editor.abandon();
        else if (!this.editor.active && wants) this.editor.begin();
      }
      if (this.editor.active) {
        const bytes = this.editor.key(k);
        if (bytes) this.type(bytes);
        continue;
      }
      raw += toBytes(k);
      if (RUN_AFTER.has(k)) {
        this.type(raw);
        raw = "";
      }
    }
    if (raw) this.type(raw);
    this.maybeNotify(true);
  }

  /** Types bytes at the console, then lets the machine run a little ahead so their effect shows at once. */
  private type(bytes: string): void {
    if (this.state !== "running") return;
    this.deliver(bytes);
    const start = this.now();
    const until = Math.max(this.m.ns, this.target(start)) + LEAD_NS * Math.max(1, this.o.speed);
    // Stop as soon as the key has shown (output, and the reader waits again): the frame goes out now.
    const shown = this.pending.length;
    let r = this.m.run(until, KEY_STEP_CHUNK);
    while (
      r === "budget" &&
      this.now() - start < KEY_RUN_MS &&
      !(this.pending.length > shown && this.m.waitingForInput())
    )
      r = this.m.run(until, KEY_STEP_CHUNK);
    this.answer();
    this.release(Number.POSITIVE_INFINITY);
    this.check();
  }

  /** The console area changed size: the emulator and the tty's winsize follow. */
  resize(cols: number, rows: number): void {
    if (cols === this.vt.cols && rows === this.vt.rows) return;
    this.editor.resize(() => this.vt.resize(cols, rows));
    if (this.state === "running") {
      const t = nextMicro(this.m.ns);
      runTo(this.m, t);
      this.rec?.resize(cols, rows, t);
      this.m.resize(cols, rows);
    }
    this.maybeNotify(true);
  }

  /** Ctrl-A x: stop at once, as QEMU's monitor does. */
  quit(): void {
    if (this.state === "running" && this.rec) {
      // Every CPU reaches one whole microsecond: the state a replay can reach again.
      const t = nextMicro(this.m.ns);
      runTo(this.m, t);
      this.rec.end(t);
    }
    this.state = "quit";
    this.rec?.close();
    this.maybeNotify(true);
  }

  status(): DriverStatus {
    const o = this.m.opts;
    return {
      machine: o.machine,
      memoryMiB: Math.round(o.memory / 2 ** 20),
      smp: o.smp,
      uptimeNs: this.shownNs(),
      speed: this.o.speed,
      actualSpeed: this.rate.value,
      recording: this.rec !== null,
      state: this.state,
      panic: this.m.panicked,
    };
  }

  /** The physical memory map for a panel of perLine x lines cells, refreshed like memSnapshot. */
  pfnMap(perLine: number, lines: number): ZonePfnMap[] {
    const now = this.now();
    let p = this.pfn;
    if (!p || now - p.at >= 200 || p.perLine !== perLine || p.lines !== lines) {
      p = { at: now, perLine, lines, map: this.m.pfnMap(perLine, lines) };
      this.pfn = p;
    }
    return p.map;
  }

  /** The memory panel's data, refreshed at most five times a (wall) second. */
  memSnapshot(): MemSnapshot {
    const now = this.now();
    if (!this.mem || now - this.mem.at >= 200) this.mem = { at: now, snap: this.m.snapshot() };
    return this.mem.snap;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getFrame = (): number => this.frame;

  /** Input at a time a replay can reproduce: a whole microsecond, every CPU caught up. */
  private deliver(bytes: string): void {
    const t = nextMicro(this.m.ns);
    runTo(this.m, t);
    this.rec?.input(bytes, t);
    this.m.input(bytes);
  }

  /** Cursor reports the emulator owes the machine (asked for by ESC[6n). */
  private answer(): void {
    while (this.replies.length && this.state === "running") this.deliver(this.replies.shift()!);
  }

  /** Shows console output stamped up to simulated time `upto`. */
  private release(upto: number): void {
    let i = 0;
    while (i < this.pending.length && this.pending[i][0] <= upto) i++;
    if (i === 0) return;
    let s = "";
    for (let j = 0; j < i; j++) s += this.pending[j][1];
    this.pending.splice(0, i);
    this.editor.output(s);
  }

  private check(): void {
    if (this.state !== "running") return;
    if (this.m.panicked) this.state = "panic";
    else if (this.m.k.sched.halted) this.state = "halted";
    if (this.state !== "running") {
      this.release(Number.POSITIVE_INFINITY);
      this.rec?.end(this.m.ns);
      this.rec?.close();
      // The loop stops with this state: it must reach the screen now, not at the next frame.
      this.maybeNotify(true);
    }
  }

  /** Simulated time as the screen shows it (the boot log runs ahead of it). */
  private shownNs(now = this.now()): number {
    return Math.min(this.m.ns, this.target(now));
  }

  /** The achieved speed, averaged over about a second of wall time. */
  private measure(): void {
    const now = this.now();
    const dt = now - this.rate.host;
    if (dt < 1000) return;
    const sim = this.shownNs(now);
    this.rate = { host: now, sim, value: (sim - this.rate.sim) / (dt * 1e6) };
  }

  private maybeNotify(now: boolean): void {
    const t = this.now();
    const changed = this.vt.version !== this.shownVersion || this.state !== "running";
    const due = t - this.lastFrameAt >= (changed ? FRAME_MS : IDLE_FRAME_MS);
    if (!now && !due) return;
    this.shownVersion = this.vt.version;
    this.lastFrameAt = t;
    this.frame++;
    for (const fn of this.listeners) fn();
  }
}

/**
 * Drives a Driver from the event loop: back to back while the machine has
 * work (setImmediate lets keys and rendering in between), a few ms apart once
 * it has caught up with the wall clock. Returns a function that stops it.
 */
export function startLoop(d: Driver, onStop: () => void): () => void {
  let timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const r = d.slice();
    if (r === "stopped") {
      onStop();
      return;
    }
    timer = r === "busy" ? setImmediate(tick) : setTimeout(tick, r === "idle" ? 50 : 5);
  };
  tick();
  return () => {
    stopped = true;
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
  };
}
