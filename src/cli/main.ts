/*
 * main.ts - the mmbox command line (yargs), QEMU-like:
 *
 *   mmbox [-M machine] [-m size] [--smp n] [--append "..."] [--seed n]
 *         [--quiet] [-c command] [--plain] [--echo] [--record file.cast] [--speed n]
 *   mmbox play FILE.cast [--speed n]        show a recording with its timing
 *   mmbox replay [--check] FILE.cast        run a recording's input again (and compare)
 *
 * A bad value stops with a one-line error naming the flag and what it
 * accepts, exit status 2. With a terminal on stdin (and no --plain or -c)
 * the interactive console starts; otherwise the plain front end runs.
 */

import { closeSync, openSync, readFileSync } from "node:fs";
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { MACHINE_NAMES, type MachineName, PROFILES } from "../hw/profiles.js";
import { DEFAULT_RTC } from "../machine.js";
import { type PlainTap, runPlain } from "../plain/run.js";
import {
  type Cast,
  CastError,
  CastWriter,
  castHeader,
  castSettings,
  parseCast,
  type SessionSettings,
} from "../tui/cast.js";
import { play } from "../tui/play.js";
import { checkReplay, describeDifference, replayOutput } from "../tui/replay.js";

export const VERSION = "0.1.0";

/** "512M", "1G", "65536K", "1048576" (MiB without a suffix, as QEMU) to bytes; null when malformed. */
export function parseMemory(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)(i?B)?$/i.exec(s.trim());
  if (!m) return null;
  const mult: Record<string, number> = { "": 2 ** 20, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
  const v = Number(m[1]) * mult[m[2].toUpperCase()];
  return Number.isFinite(v) ? Math.floor(v) : null;
}

function fail(msg: string): never {
  process.stderr.write(`mmbox: ${msg}\n`);
  process.exit(2);
}

/** What the command line asked for, run after parsing. */
type Action = () => Promise<number>;

export async function main(argv: string[]): Promise<number> {
  let action: Action | null = null;
  await yargs(argv)
    .scriptName("mmbox")
    .usage("Usage: $0 [options]\n\nBoot a simulated Linux machine with a BusyBox console.")
    .command(
      "$0",
      "boot the machine and attach its console (the default)",
      (y) => bootOptions(y),
      (args) => {
        action = () => boot(args);
      },
    )
    .command(
      "play <file>",
      "show a recording (asciicast) on the terminal with its timing",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "the .cast file" })
          .option("speed", { type: "number", default: 1, describe: "playback speed factor" }),
      (args) => {
        action = () => playCommand(args.file, args.speed);
      },
    )
    .command(
      "replay <file>",
      "re-run a recording's input on a fresh machine with its settings (plain mode)",
      (y) =>
        y
          .positional("file", { type: "string", demandOption: true, describe: "the .cast file" })
          .option("check", {
            type: "boolean",
            default: false,
            describe:
              "compare with the recorded output: exit 0 if identical, else show the first difference and exit 1",
          }),
      (args) => {
        action = () => replayCommand(args.file, args.check);
      },
    )
    .strictOptions()
    .version(VERSION)
    .help()
    .fail((msg, err) => {
      fail(err ? err.message : msg.split("\n")[0]);
    })
    .parseAsync();
  return action ? (action as Action)() : 0;
}

/** The machine's flags (the default command). */
function bootOptions<T>(y: Argv<T>) {
  return y
    .option("machine", {
      alias: "M",
      type: "string",
      default: "vexpress-a9",
      describe: `machine: ${MACHINE_NAMES.join(", ")}`,
    })
    .option("memory", {
      alias: "m",
      type: "string",
      describe: "RAM size, e.g. 512M, 1G (default: the machine's)",
    })
    .option("smp", { type: "number", describe: "number of CPUs" })
    .option("numa", { type: "number", default: 1, describe: "NUMA nodes (-M virt)" })
    .option("disk", {
      type: "string",
      array: true,
      describe: "add an empty virtio disk of this size (repeatable): /dev/vda, /dev/vdb, ...",
    })
    .option("append", {
      type: "string",
      default: "",
      describe: 'kernel command line, e.g. "mem=512M cma=32M loglevel=4 quiet"',
    })
    .option("seed", { type: "number", default: 1, describe: "seed of the machine's randomness" })
    .option("quiet", { type: "boolean", default: false, describe: "no boot log on the console" })
    .option("c", { type: "string", describe: "run one command, print its output, exit with its status" })
    .option("plain", { type: "boolean", default: false, describe: "plain text console even on a terminal" })
    .option("echo", {
      type: "boolean",
      default: false,
      describe: "plain mode: show the prompt and each command, like a transcript",
    })
    .option("record", { type: "string", describe: "record the session to an asciicast v2 file" })
    .option("speed", {
      type: "number",
      default: 1,
      describe: "interactive console: simulated seconds per wall-clock second",
    });
}

type BootArgs = Awaited<ReturnType<typeof bootOptions>["argv"]>;

async function boot(args: BootArgs): Promise<number> {
  const name = args.machine as string;
  if (!(MACHINE_NAMES as readonly string[]).includes(name))
    fail(`-M/--machine: unknown machine '${name}' (accepted: ${MACHINE_NAMES.join(", ")})`);
  const profile = PROFILES[name as MachineName];
  let memory = profile.defaultMemory;
  if (args.memory !== undefined) {
    const m = parseMemory(String(args.memory));
    const min = 16 * 2 ** 20;
    if (m === null)
      fail(
        `-m/--memory: invalid size '${args.memory}' (accepted: a number with an optional K, M, G or T suffix)`,
      );
    if (m < min || m > profile.maxMemory)
      fail(
        `-m/--memory: ${args.memory} is out of range for ${name} (accepted: 16M to ${profile.maxMemory / 2 ** 30}G)`,
      );
    memory = m;
  }
  let smp = profile.defaultSmp;
  if (args.smp !== undefined) {
    if (!Number.isInteger(args.smp) || args.smp < 1 || args.smp > profile.maxSmp)
      fail(`--smp: invalid CPU count '${args.smp}' (accepted: 1 to ${profile.maxSmp} on ${name})`);
    smp = args.smp;
  }
  const numa = args.numa ?? 1;
  if (!Number.isInteger(numa) || numa < 1 || numa > 8 || (numa > 1 && name !== "virt"))
    fail(`--numa: invalid node count '${args.numa}' (accepted: 1 to 8, more than 1 only with -M virt)`);
  const disks: number[] = [];
  for (const d of (args.disk ?? []) as unknown[]) {
    const bytes = parseMemory(String(d));
    if (bytes === null || bytes < 2 ** 20 || bytes > 2 ** 41)
      fail(`--disk: invalid size '${String(d)}' (accepted: 1M to 2T, with an optional K, M, G or T suffix)`);
    disks.push(Math.floor(bytes / 512) * 512);
  }
  if (disks.length > profile.maxDisks)
    fail(`--disk: too many disks (accepted: at most ${profile.maxDisks} on ${name})`);
  if (!Number.isInteger(args.seed) || args.seed < 0)
    fail(`--seed: invalid seed '${args.seed}' (accepted: a non-negative integer)`);
  if (!(args.speed > 0) || !Number.isFinite(args.speed))
    fail(`--speed: invalid speed '${args.speed}' (accepted: a number greater than 0)`);
  let append = args.append as string;
  if (args.quiet) append = `${append} quiet`.trim();
  const machineOpts = {
    machine: name as MachineName,
    memory,
    smp,
    append,
    seed: args.seed as number,
    numa,
    disks,
  };

  const interactive = process.stdin.isTTY && process.stdout.isTTY && !args.plain && args.c === undefined;
  if (interactive) {
    if (args.record !== undefined) checkWritable(args.record);
    // React's production build: its development checks cost the TUI frames (and keystroke latency).
    process.env.NODE_ENV ??= "production";
    // ink draws only its final frame when it believes it runs under CI (is-in-ci reads CI when
    // ink loads); a terminal on both ends is a person at the console, whatever CI says.
    delete process.env.CI;
    const { runTui } = await import("../tui/run.js");
    return runTui({ ...machineOpts, record: args.record, speed: args.speed });
  }
  const lines = args.c !== undefined ? [String(args.c)] : undefined;
  const echo = args.echo as boolean;
  const rec =
    args.record !== undefined ? plainRecorder(args.record, { ...machineOpts, mode: "plain", echo }) : null;
  const tap: PlainTap | undefined = rec
    ? (data, kind, ns) => (kind === "o" ? rec.output(data, ns) : rec.input(data, ns))
    : undefined;
  try {
    return await runPlain({ ...machineOpts, echo }, process.stdin, process.stdout, lines, tap, (ns) =>
      rec?.end(ns),
    );
  } finally {
    rec?.close();
  }
}

/* ---- recording, play and replay (src/tui/cast.ts, play.ts, replay.ts; no ink) ---- */

function checkWritable(path: string): void {
  try {
    closeSync(openSync(path, "a"));
  } catch (e) {
    fail(`--record: cannot write '${path}': ${(e as Error).message}`);
  }
}

function plainRecorder(path: string, s: SessionSettings): CastWriter {
  checkWritable(path);
  const out = process.stdout;
  const [w, h] = out.isTTY ? [out.columns || 80, out.rows || 24] : [80, 24];
  return new CastWriter(path, castHeader(s, w, h, DEFAULT_RTC), true);
}

/** Reads and parses a recording; a bad file is a one-line error, exit status 2. */
function readCast(path: string): Cast {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(`${path}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  try {
    return parseCast(text, path);
  } catch (e) {
    if (e instanceof CastError) fail(e.message);
    throw e;
  }
}

async function playCommand(file: string, speed: number): Promise<number> {
  if (!(speed > 0) || !Number.isFinite(speed))
    fail(`--speed: invalid speed '${speed}' (accepted: a number greater than 0)`);
  const cast = readCast(file);
  await play(cast, process.stdout, { speed });
  return 0;
}

async function replayCommand(file: string, check: boolean): Promise<number> {
  const cast = readCast(file);
  try {
    const settings = castSettings(cast, file);
    if (!check) {
      process.stdout.write(replayOutput(cast, settings, file));
      return 0;
    }
    const r = checkReplay(cast, settings, file);
    if (r.diff) {
      process.stdout.write(`mmbox: replay: ${file}: ${describeDifference(r.diff)}\n`);
      return 1;
    }
    const how = r.whole ? "" : " as far as the recording goes (it has no exit mark: the session was cut off)";
    process.stdout.write(`mmbox: replay: ${file}: output identical${how}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CastError) fail(e.message);
    throw e;
  }
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`mmbox: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
