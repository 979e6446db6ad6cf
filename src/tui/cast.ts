/*
 * cast.ts - session recordings in asciicast v2 (asciinema's format):
 *
 *   {"version":2,"width":80,"height":24,"timestamp":1795311374,"title":"mmbox -M ...","env":{...}}
 *   [3.296454, "o", "\r\n/ # "]          console output
 *   [5.120000, "i", "free\r"]            keys typed (plain mode: whole lines)
 *   [7.000000, "r", "100x30"]            the console was resized
 *   [9.500000, "m", "exit"]              the session ended here (machine off, or quit)
 *
 * Times are simulated seconds since power-on, so a recording is as
 * deterministic as the session; the header's timestamp is the machine's RTC
 * at power-on. The header's env carries the settings (MMBOX_*) that
 * `mmbox replay --check` needs to boot the same machine again.
 *
 * The writer appends and flushes one event at a time (a whole line per
 * write(2)), so a session killed with SIGKILL leaves a file that is valid up
 * to its last event; such a file has no "exit" mark, and a replay can only
 * check the output it has. No ink here: plain mode records too.
 */

import { closeSync, openSync, writeSync } from "node:fs";

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastCode = "o" | "i" | "r" | "m";
export type CastEvent = [time: number, code: CastCode, data: string];

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
}

/** How a session was run: what a replay needs to run it again. */
export interface SessionSettings {
  machine: string;
  memory: number;
  smp: number;
  seed: number;
  append: string;
  numa: number;
  /** Virtio disks (--disk), sizes in bytes (none when absent). */
  disks?: number[];
  /** "tty": the interactive console (raw keys); "plain": lines typed at the shell. */
  mode: "tty" | "plain";
  /** Plain mode with --echo (prompts and commands in the output). */
  echo: boolean;
}

/** The label of the marker event a recording ends with. */
export const END_MARK = "exit";

/** The simulated time a whole recording ends at (its "exit" mark); null for a cut-off one. */
export function castEnd(c: Cast): number | null {
  const e = c.events.findLast((ev) => ev[1] === "m" && ev[2] === END_MARK);
  return e ? castNs(e[0]) : null;
}

/** A recording that cannot be read: the message is one line. */
export class CastError extends Error {}

/** Simulated ns as asciicast seconds (microsecond precision, exact for whole microseconds). */
export const castTime = (ns: number): number => Math.round(ns / 1000) / 1e6;
/** asciicast seconds back to simulated ns. */
export const castNs = (t: number): number => Math.round(t * 1e6) * 1000;

export function castHeader(s: SessionSettings, width: number, height: number, rtc: number): CastHeader {
  const mib = Math.round(s.memory / 2 ** 20);
  const append = s.append ? ` --append '${s.append}'` : "";
  const disks = (s.disks ?? [])
    .map((b) => ` --disk ${b % 2 ** 20 ? `${b / 1024}K` : `${b / 2 ** 20}M`}`)
    .join("");
  return {
    version: 2,
    width,
    height,
    timestamp: rtc,
    title: `mmbox -M ${s.machine} -m ${mib}M --smp ${s.smp} --seed ${s.seed}${disks}${append}`,
    env: {
      TERM: "linux",
      SHELL: "/bin/sh",
      MMBOX_MACHINE: s.machine,
      MMBOX_MEMORY: String(s.memory),
      MMBOX_SMP: String(s.smp),
      MMBOX_SEED: String(s.seed),
      MMBOX_APPEND: s.append,
      MMBOX_NUMA: String(s.numa),
      ...(s.disks?.length ? { MMBOX_DISKS: s.disks.join(",") } : {}),
      MMBOX_MODE: s.mode,
      MMBOX_ECHO: s.echo ? "1" : "0",
    },
  };
}

/**
 * Writes a recording as the session runs. Console bytes (latin1 strings of
 * UTF-8) are decoded to text; with `crlf`, bare "\n" line ends (plain
 * mode's) become "\r\n" as a terminal would show them.
 */
export class CastWriter {
  private fd: number;
  private out = new TextDecoder("utf-8");
  private inp = new TextDecoder("utf-8");
  private last = 0;

  constructor(
    readonly path: string,
    header: CastHeader,
    private crlf = false,
  ) {
    this.fd = openSync(path, "w");
    writeSync(this.fd, `${JSON.stringify(header)}\n`);
  }

  output(bytes: string, ns: number): void {
    let s = this.out.decode(Buffer.from(bytes, "latin1"), { stream: true });
    if (this.crlf) s = s.replace(/\r?\n/g, "\r\n");
    this.event(ns, "o", s);
  }

  input(bytes: string, ns: number): void {
    this.event(ns, "i", this.inp.decode(Buffer.from(bytes, "latin1"), { stream: true }));
  }

  resize(cols: number, rows: number, ns: number): void {
    this.event(ns, "r", `${cols}x${rows}`);
  }

  /** Marks the end of the session at simulated time ns (before close). */
  end(ns: number): void {
    this.event(ns, "m", END_MARK);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private event(ns: number, code: CastCode, data: string): void {
    if (!data || this.fd < 0) return;
    // Times never go backwards, even if a caller reports an earlier clock.
    const t = Math.max(this.last, castTime(ns));
    this.last = t;
    writeSync(this.fd, `${JSON.stringify([t, code, data])}\n`);
  }
}

const CODES: readonly string[] = ["o", "i", "r", "m"];

/** Parses a recording; a CastError names the line that is wrong. */
export function parseCast(text: string, name: string): Cast {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new CastError(`${name}: empty file, not an asciicast recording`);
  const header = parseJson(lines[0], name, 1) as Partial<CastHeader> | null;
  if (!header || typeof header !== "object" || Array.isArray(header))
    throw new CastError(`${name}: line 1: not an asciicast header (a JSON object)`);
  if (header.version !== 2)
    throw new CastError(`${name}: line 1: asciicast version ${String(header.version)} (accepted: 2)`);
  for (const k of ["width", "height"] as const)
    if (!Number.isInteger(header[k]) || (header[k] as number) <= 0)
      throw new CastError(`${name}: line 1: bad ${k} '${String(header[k])}'`);
  const events: CastEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const e = parseJson(lines[i], name, i + 1);
    if (
      !Array.isArray(e) ||
      e.length !== 3 ||
      typeof e[0] !== "number" ||
      !(e[0] >= 0) ||
      !CODES.includes(e[1]) ||
      typeof e[2] !== "string"
    )
      throw new CastError(`${name}: line ${i + 1}: not an event [time, "o"|"i"|"r"|"m", "data"]`);
    events.push(e as CastEvent);
  }
  return { header: header as CastHeader, events };
}

function parseJson(line: string, name: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new CastError(`${name}: line ${n}: not JSON`);
  }
}

/** The settings an mmbox recording was made with (CastError when it is not one). */
/** MMBOX_DISKS: sizes in bytes, comma-separated (absent in recordings older than --disk). */
function castDisks(v: string | undefined, name: string): number[] {
  if (v === undefined || v === "") return [];
  const list = v.split(",").map(Number);
  if (list.some((b) => !Number.isInteger(b) || b <= 0))
    throw new CastError(`${name}: not an mmbox recording (header env MMBOX_DISKS bad)`);
  return list;
}

export function castSettings(c: Cast, name: string): SessionSettings {
  const env = c.header.env ?? {};
  const num = (k: string): number => {
    const v = Number(env[k]);
    if (env[k] === undefined || !Number.isInteger(v) || v < 0)
      throw new CastError(`${name}: not an mmbox recording (header env ${k} missing or bad)`);
    return v;
  };
  if (typeof env.MMBOX_MACHINE !== "string")
    throw new CastError(`${name}: not an mmbox recording (no MMBOX_MACHINE in the header env)`);
  const mode = env.MMBOX_MODE;
  if (mode !== "tty" && mode !== "plain") throw new CastError(`${name}: bad MMBOX_MODE '${String(mode)}'`);
  return {
    machine: env.MMBOX_MACHINE,
    memory: num("MMBOX_MEMORY"),
    smp: num("MMBOX_SMP"),
    seed: num("MMBOX_SEED"),
    append: env.MMBOX_APPEND ?? "",
    numa: num("MMBOX_NUMA"),
    ...(env.MMBOX_DISKS ? { disks: castDisks(env.MMBOX_DISKS, name) } : {}),
    mode,
    echo: env.MMBOX_ECHO === "1",
  };
}
