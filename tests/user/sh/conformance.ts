/*
 * conformance.ts - the cases of the ash conformance suite and the way each
 * runs inside mmbox (see conformance.test.ts for the whole story).
 *
 * A script may say `# needs: APPLET...` on a line: it is skipped until those
 * applets exist in user/applets. Scripts that can never match real ash are
 * in SKIP with the reason.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_MTIME, load_rootfs } from "../../../src/host/rootfs.js";
import { S_IFDIR, S_IFREG } from "../../../src/kernel/uapi/abi.js";
import { PlainSession } from "../../../src/plain/run.js";
import { applets } from "../../../src/user/applets/registry.js";
import { SIGNAL_TEXT } from "../../../src/user/sh/jobs.js";

const ROOT = join(import.meta.dirname, "../../..");
export const SCRIPTS = join(ROOT, "tests/user/sh/scripts");
export const FIXTURES = join(ROOT, "tests/fixtures/ash");

/** Scripts that can never match, and why. */
export const SKIP: Record<string, string> = {};

export interface Case {
  /** category/NAME */
  key: string;
  name: string;
  script: string;
  expected: string;
  status: number;
  /** Applets the script needs that mmbox does not have yet. */
  missing: string[];
}

export function categories(): string[] {
  return readdirSync(SCRIPTS).sort();
}

export function cases(category: string): Case[] {
  return readdirSync(join(SCRIPTS, category))
    .filter((f) => f.endsWith(".sh"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      const script = readFileSync(join(SCRIPTS, category, f), "utf8");
      const needs = /^# needs: (.*)$/m.exec(script)?.[1].split(/\s+/).filter(Boolean) ?? [];
      return {
        key: `${category}/${name}`,
        name,
        script,
        expected: readFileSync(join(FIXTURES, category, `${name}.out`), "utf8"),
        status: Number(readFileSync(join(FIXTURES, category, `${name}.status`), "utf8").trim()),
        missing: needs.filter((a) => !applets.has(a)),
      };
    });
}

const encoder = new TextEncoder();

/** The line a shell prints when its foreground job died of a signal ("Terminated", "Killed"). */
const DEATH = new RegExp(
  `^(${SIGNAL_TEXT.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})( \\(core dumped\\))?\n`,
  "m",
);

/**
 * The recorder's limit was 10 s of host time; a script here gets 10 s of
 * simulated time, or MAX_STEPS scheduler steps when it loops without
 * making time pass (a loop of builtins costs a few hundred ns a turn).
 */
const LIMIT_NS = 10e9;
const MAX_STEPS = 300_000;

/**
 * One booted machine runs the scripts of a category, each as the recorder
 * ran it: `sh x.sh` in a directory holding only the script (/root/NAME),
 * stdin from /dev/null, stdout and stderr together into a file; then the
 * console shell prints that file and the exit status.
 *
 * Why not a fresh machine per script: booting (populating the page cache
 * with the root image, building address spaces) costs far more host time
 * than a short script, and a script cannot reach another one's directory,
 * shell variables or jobs. A machine that panicked or lost its console
 * shell is replaced by a fresh one before the next script.
 */
export class ScriptMachine {
  private s: PlainSession | null = null;

  constructor(private readonly list: Case[]) {}

  private boot(): PlainSession {
    const rootfs = [
      ...load_rootfs(),
      ...this.list.flatMap((c) => [
        { path: `/root/${c.name}`, mode: S_IFDIR | 0o755, mtime: IMAGE_MTIME },
        {
          path: `/root/${c.name}/x.sh`,
          mode: S_IFREG | 0o644,
          mtime: IMAGE_MTIME,
          data: encoder.encode(c.script),
        },
      ]),
    ];
    const s = new PlainSession({ machine: "vexpress-a9", memory: 256 << 20, rootfs });
    s.take();
    return s;
  }

  /** The console shell could not be brought back to its prompt: boot again. */
  private broken = false;
  /** The last line had to be interrupted. */
  private interrupted = false;

  /**
   * Types a line and runs until the console shell reads again. A command
   * still running at the limit gets ^C (as timeout would kill it), then ^\;
   * a machine whose shell still does not come back is replaced.
   */
  private line(s: PlainSession, text: string): string {
    const m = s.m;
    const done = (): boolean =>
      m.panicked !== null ||
      m.shellStatus !== null ||
      (m.waitingForInput() && m.k.console.read_buf.length === 0);
    const slice = 100_000;
    this.interrupted = false;
    for (const key of [`${text}\n`, "\x03", "\x1c"]) {
      if (key !== `${text}\n`) this.interrupted = true;
      m.input(key);
      const deadline = m.ns + LIMIT_NS;
      for (let steps = 0; steps < MAX_STEPS && m.ns < deadline && !done(); steps += slice)
        m.run(Math.min(deadline, m.ns + 1e9), slice);
      if (done()) return s.take();
    }
    this.broken = true;
    return s.take();
  }

  run(name: string): { output: string; status: number } {
    let s = this.s;
    if (!s || this.broken || s.m.panicked || s.m.shellStatus !== null) {
      s = this.s = this.boot();
      this.broken = false;
    }
    // The recorder ran the script under `env -i HOME=/ TERM=linux PATH=...`: the console shell's
    // own SHELL, USER (from init) and OLDPWD (from cd) are not in that environment.
    // Anything printed here is the console shell's own complaint: keep it, so the test shows it.
    const stray = this.line(
      s,
      `echo 130 >/tmp/.status; cd /root/${name} && unset OLDPWD SHELL USER && sh x.sh </dev/null >/tmp/.out 2>&1; echo $? >/tmp/.status`,
    );
    // BusyBox's timeout execs the script, so a script that runs too long dies of its SIGTERM: 143
    const timedOut = this.interrupted;
    // ...and ash, which applies a command's redirections in itself before it forks, prints a
    // signal death while they still hold: into the file, where the recorder's shell did not
    const output = this.line(s, "cat /tmp/.out").replace(new RegExp(`(^|\n)${DEATH.source.slice(1)}$`), "$1");
    const status = timedOut ? 143 : Number(this.line(s, "cat /tmp/.status").trim());
    // The recorder's own shell printed "Terminated" (a script killed by a signal) to its stderr,
    // not into the file. A script killed by SIGINT makes the console shell abandon the line
    // (so .status keeps 130) and print a newline; that newline is not the script's either.
    const own = timedOut ? "" : stray.replace(DEATH, "").replace(/^\n/, "");
    return { output: own + output, status };
  }
}

/** Runs one script on a machine of its own. */
export function runScript(script: string): { output: string; status: number } {
  const c: Case = { key: "x/x", name: "x", script, expected: "", status: 0, missing: [] };
  return new ScriptMachine([c]).run("x");
}
