/*
 * main.ts - the mmbox command line (yargs), QEMU-like:
 *
 *   mmbox [-M machine] [-m size] [--smp n] [--append "..."] [--seed n]
 *         [--quiet] [-c command] [--plain] [--echo] [--record file.cast]
 *
 * A bad value stops with a one-line error naming the flag and what it
 * accepts, exit status 2. With a terminal on stdin (and no --plain or -c)
 * the interactive console starts; otherwise the plain front end runs.
 */

import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { MACHINE_NAMES, type MachineName, PROFILES } from "../hw/profiles.js";
import { runPlain } from "../plain/run.js";

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

export async function main(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName("mmbox")
    .usage("Usage: $0 [options]\n\nBoot a simulated Linux machine with a BusyBox console.")
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
    .strictOptions()
    .version(VERSION)
    .help()
    .fail((msg, err) => {
      fail(err ? err.message : msg.split("\n")[0]);
    })
    .parseAsync();

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
  if (!Number.isInteger(args.seed) || args.seed < 0)
    fail(`--seed: invalid seed '${args.seed}' (accepted: a non-negative integer)`);
  let append = args.append as string;
  if (args.quiet) append = `${append} quiet`.trim();
  const machineOpts = { machine: name as MachineName, memory, smp, append, seed: args.seed as number, numa };

  const interactive = process.stdin.isTTY && process.stdout.isTTY && !args.plain && args.c === undefined;
  if (interactive) {
    const { runTui } = await import("../tui/run.js");
    return runTui({ ...machineOpts, record: args.record as string | undefined });
  }
  const lines = args.c !== undefined ? [String(args.c)] : undefined;
  return runPlain({ ...machineOpts, echo: args.echo as boolean }, process.stdin, process.stdout, lines);
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
