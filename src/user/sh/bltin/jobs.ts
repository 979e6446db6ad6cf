/*
 * jobs.ts - job control and signal builtins (BusyBox shell/ash.c:
 * jobscmd, fg_bgcmd, waitcmd, killcmd, trapcmd, getjob).
 *
 * A job is named %N, %+ / %% (current), %- (previous), %string (a command
 * beginning so) or %?string (containing so).
 */

import { SIGCONT, signal_names, TIOCSPGRP } from "../../../kernel/uapi/abi.js";
import { ECHILD, EINTR } from "../../../kernel/uapi/errno.js";
import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts, strerror } from "../../libc/stdio.js";
import { ioctl, kill } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import { waitForJob } from "../eval.js";
import { deathMessage, exitCode, JOBDONE, JOBRUNNING, JOBSTOPPED, type Job, JobTable } from "../jobs.js";
import { type Shell, sh_error } from "../shell.js";
import { setsignal, signalNumber } from "../trap.js";
import { single_quote } from "../vars.js";

/** getjob: the job a %spec names. */
function* getjob(sh: Shell, spec: string | undefined): UserGen<Job> {
  const t = sh.jobs;
  if (spec === undefined || spec === "%" || spec === "%%" || spec === "%+") {
    const j = t.current();
    if (!j) return yield* sh_error(sh, "No current job");
    return j;
  }
  let j: Job | undefined;
  if (spec === "%-") {
    j = t.previous();
    if (!j) return yield* sh_error(sh, "No previous job");
  } else if (/^%\d+$/.test(spec)) j = t.list.find((x) => x.num === Number(spec.slice(1)));
  else if (spec.startsWith("%?")) j = t.list.find((x) => x.procs.some((p) => p.cmd.includes(spec.slice(2))));
  else if (spec.startsWith("%")) j = t.list.find((x) => x.procs[0].cmd.startsWith(spec.slice(1)));
  else if (/^\d+$/.test(spec)) j = t.byPid(Number(spec));
  if (!j) return yield* sh_error(sh, `${spec}: no such job`);
  return j;
}

/** Collects every status change already there without blocking. */
export function* reapJobs(sh: Shell): UserGen<void> {
  for (;;) {
    const r = yield* sh.jobs.dowait(false, sh.opts.m);
    if (r <= 0) return;
  }
}

function* jobscmd(sh: Shell, argv: string[]): UserGen<number> {
  let pids = false;
  let pgrpOnly = false;
  let i = 1;
  for (; i < argv.length && argv[i].startsWith("-"); i++)
    for (const c of argv[i].slice(1)) {
      if (c === "l") pids = true;
      else if (c === "p") pgrpOnly = true;
      else return yield* sh_error(sh, `illegal option -${c}`);
    }
  yield* reapJobs(sh);
  // most recent first, as ash walks curjob's list
  const list = i < argv.length ? [] : [...sh.jobs.order];
  for (const spec of argv.slice(i)) list.push(yield* getjob(sh, spec));
  // showjob frees a finished job as soon as it is printed, so the + and - of the later lines move
  let out = "";
  for (const j of list) {
    out += pgrpOnly ? `${j.procs[0].pid}\n` : sh.jobs.format(j, pids);
    j.changed = false;
    if (j.state === JOBDONE) sh.jobs.free(j);
  }
  yield* puts(1, out);
  return 0;
}

/** Reports and forgets finished jobs (an interactive shell does it before each prompt). */
export function* showChangedJobs(sh: Shell): UserGen<void> {
  yield* reapJobs(sh);
  let out = "";
  for (const j of [...sh.jobs.order]) {
    if (!j.changed) continue;
    j.changed = false;
    out += sh.jobs.format(j);
    if (j.state === JOBDONE) sh.jobs.free(j);
  }
  if (out) yield* puts(2, out);
}

function* fgcmd(sh: Shell, argv: string[]): UserGen<number> {
  const fg = argv[0] === "fg";
  const specs = argv.length > 1 ? argv.slice(1) : [undefined];
  let status = 0;
  for (const spec of specs) {
    const j = yield* getjob(sh, spec);
    const cmd = j.procs.map((p) => p.cmd).join(" | ");
    if (fg) {
      yield* puts(1, `${cmd}\n`);
      if (j.jobctl) yield* ioctl(0, TIOCSPGRP, j.pgrp);
    } else yield* puts(1, `[${j.num}] ${cmd}\n`);
    if (j.jobctl) yield* kill(-j.pgrp, SIGCONT);
    else for (const p of j.procs) if (p.status === -1 || j.state === JOBSTOPPED) yield* kill(p.pid, SIGCONT);
    if (j.state === JOBSTOPPED) {
      j.state = JOBRUNNING;
      for (const p of j.procs) if (p.status !== -1 && (p.status & 0xff) === 0x7f) p.status = -1;
    }
    if (fg) {
      sh.jobs.setCurrent(j);
      status = yield* waitForJob(sh, j);
    } else sh.jobs.setRunning(j);
  }
  return status;
}

function* waitcmd(sh: Shell, argv: string[]): UserGen<number> {
  const interrupted = (): number => 128 + sh.pending[0];
  if (argv.length === 1) {
    for (;;) {
      if (!sh.jobs.list.some((j) => j.state === JOBRUNNING)) break;
      const r = yield* sh.jobs.dowait(true, false);
      if (r === -EINTR && sh.pending.length) return interrupted();
      if (r === -ECHILD) break;
    }
    // every job found not running has been waited for (its slot may be reused)
    for (const j of sh.jobs.list) if (j.state !== JOBRUNNING) j.waited = true;
    return 0;
  }
  let status = 0;
  for (const spec of argv.slice(1)) {
    let j: Job | undefined;
    if (spec.startsWith("%")) j = yield* getjob(sh, spec);
    else {
      if (!/^\d+$/.test(spec)) return yield* sh_error(sh, `Illegal number: ${spec}`);
      j = sh.jobs.byPid(Number(spec));
      if (!j) {
        status = 127;
        continue;
      }
    }
    // a death is told only by the dowait that collected it for this job (ash: thisjob == job)
    const collected = j.state === JOBRUNNING;
    while (j.state === JOBRUNNING) {
      const r = yield* sh.jobs.dowait(true, false);
      if (r === -EINTR && sh.pending.length) return interrupted();
      if (r === -ECHILD) break;
    }
    const st = JobTable.status(j);
    status = exitCode(st);
    j.waited = true;
    if (j.state === JOBDONE && collected) {
      const msg = deathMessage(st);
      if (msg) yield* puts(2, msg);
    }
  }
  return status;
}

function* killcmd(sh: Shell, argv: string[]): UserGen<number> {
  const ap = sh.applet;
  let sig = 15;
  let i = 1;
  const sigName = (n: number): string =>
    n === 0 ? "EXIT" : n === 29 ? "POLL" : (signal_names[n] ?? String(n));
  // (ash's kill has -l only: "-L" is read as a signal name)
  if (argv[1] === "-l") {
    if (argv.length === 2) {
      let out = "";
      for (let n = 1; n < 32; n++) out += `${String(n).padStart(2)}) ${sigName(n)}\n`;
      yield* puts(1, out);
      return 0;
    }
    for (const a of argv.slice(2)) {
      if (/^\d+$/.test(a)) yield* puts(1, `${sigName(Number(a) & 127)}\n`);
      else {
        const n = signalNumber(a);
        if (n < 0 || n > 31) {
          yield* puts(2, `${ap}: unknown signal '${a}'\n`);
          return 1;
        }
        yield* puts(1, `${n}\n`);
      }
    }
    return 0;
  }
  if (argv[1] === "-s") {
    const n = signalNumber(argv[2] ?? "");
    if (n < 0) {
      yield* puts(2, `${ap}: bad signal name '${argv[2] ?? ""}'\n`);
      return 1;
    }
    sig = n;
    i = 3;
  } else if (argv[1]?.startsWith("-") && argv[1] !== "--") {
    const n = signalNumber(argv[1].slice(1));
    if (n < 0) {
      yield* puts(2, `${ap}: bad signal name '${argv[1].slice(1)}'\n`);
      return 1;
    }
    sig = n;
    i = 2;
  }
  if (argv[i] === "--") i++;
  if (i >= argv.length) {
    yield* puts(2, `${ap}: you need to specify whom to kill\n`);
    return 1;
  }
  let status = 0;
  for (const t of argv.slice(i)) {
    if (t.startsWith("%")) {
      const j = yield* getjob(sh, t);
      const r = j.jobctl ? yield* kill(-j.pgrp, sig) : yield* killAll(j, sig);
      if (r < 0) status = 1;
      continue;
    }
    // bb_strtoi: a decimal int; out of range is as invalid as a bad digit.
    if (!/^-?\d+$/.test(t) || Number(t) > 2147483647 || Number(t) < -2147483648) {
      yield* puts(2, `${ap}: invalid number '${t}'\n`);
      status = 1;
      continue;
    }
    const r = yield* kill(Number(t), sig);
    if (r < 0) {
      yield* puts(2, `${ap}: can't kill pid ${t}: ${strerror(r)}\n`);
      status = 1;
    }
  }
  return status;
}

function* killAll(j: Job, sig: number): UserGen<number> {
  let r = 0;
  for (const p of j.procs) if (p.status === -1) r = Math.min(r, yield* kill(p.pid, sig));
  return r;
}

function* trapcmd(sh: Shell, argv: string[]): UserGen<number> {
  let args = argv.slice(1);
  if (args[0] === "--") args = args.slice(1);
  if (args.length === 0) {
    let out = "";
    const traps = sh.shownTraps ?? sh.traps;
    for (let sig = 0; sig < traps.length; sig++) {
      const t = traps[sig];
      if (t === null || t === undefined) continue;
      const name = sig === 0 ? "EXIT" : (signal_names[sig] ?? String(sig));
      out += `trap -- ${single_quote(t)} ${name}\n`;
    }
    yield* puts(1, out);
    return 0;
  }
  if (args[0].startsWith("-") && args[0] !== "-") return yield* sh_error(sh, `illegal option ${args[0]}`);
  let action: string | null = args[0];
  let sigs = args.slice(1);
  if (/^\d+$/.test(args[0])) {
    action = null;
    sigs = args;
  } else if (action === "-") action = null;
  let status = 0;
  for (const s of sigs) {
    const sig = signalNumber(s);
    if (sig < 0) {
      yield* puts(2, `${sh.msgPrefix()}${s}: invalid signal specification\n`);
      status = 1;
      continue;
    }
    sh.traps[sig] = action;
    sh.shownTraps = null;
    yield* setsignal(sh, sig);
  }
  return status;
}

export const jobBuiltins: Builtin[] = [
  { name: "jobs", special: false, fn: jobscmd },
  { name: "fg", special: false, fn: fgcmd },
  { name: "bg", special: false, fn: fgcmd },
  { name: "wait", special: false, fn: waitcmd },
  { name: "kill", special: false, fn: killcmd },
  { name: "trap", special: true, fn: trapcmd },
];
