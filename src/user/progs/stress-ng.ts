/*
 * stress-ng.ts - the memory part of stress-ng 0.15 (stress-ng.c, core-*.c,
 * stress-vm.c): the vm stressor, its options and stress-ng's log lines.
 *
 *   stress-ng --vm N --vm-bytes SIZE|P% [--vm-keep] [--vm-hang S]
 *             [--vm-populate] [--vm-madvise ADV] [-t T] [-v] [--metrics-brief]
 *
 * The processes, as stress-ng makes them:
 *
 *   stress-ng (main, oom_score_adj -1000)
 *     +- instance 0 (oom_score_adj -1000)  one per --vm, runs for -t seconds
 *     |    +- worker (oom_score_adj 1000)  stress_oomable_child: does the work;
 *     |                                    killed by SIGKILL (the OOM killer),
 *     |                                    it is forked again ("OOM restart")
 *     +- instance 1 ...
 *
 * A worker maps its share of --vm-bytes (the total divided by N; P% is of
 * the machine's physical memory), advises it, and writes every page with a
 * pattern (the "all" method cycles through methods; here each round writes
 * a different byte, and a distinct word per page), then reads it back.
 * Without --vm-keep the buffer is unmapped and mapped again every round.
 * --vm-hang S sleeps S seconds after each round (0: until the end).
 * Everything runs on the simulated clock (CLOCK_MONOTONIC); each worker
 * stops at the first check after its deadline, as the real one stops on
 * its alarm. SIGINT (Ctrl-C), SIGTERM or SIGHUP end the run early the same
 * way: main tells the instances with SIGALRM, they tell their workers, and
 * the summary follows. Info lines go to stdout, as stress-ng's pr_inf does; -v adds
 * the debug lines (OOM restarts are reported only there, as in stress-ng).
 *
 * It is linked into /bin/busybox and reached through /usr/bin/stress-ng
 * (applets/registry.ts). Simplified: one stressor (vm); bogo ops are rounds
 * over the buffer; the children keep the comm "stress-ng" (the real ones
 * rename themselves "stress-ng-vm" with prctl(PR_SET_NAME)).
 */

import { CLOCK_MONOTONIC, SIGALRM, SIGHUP, SIGINT, SIGKILL, SIGTERM } from "../../kernel/uapi/abi.js";
import { EINTR } from "../../kernel/uapi/errno.js";
import { POLLIN, type UserGen, type WaitResult } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { GetoptError, getopt, type LongOpt } from "../libc/getopt.js";
import {
  MADV_DONTNEED,
  MADV_HUGEPAGE,
  MADV_MERGEABLE,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_UNMERGEABLE,
  MADV_WILLNEED,
  MAP_ANONYMOUS,
  MAP_POPULATE,
  MAP_PRIVATE,
  madvise,
  mmap,
  munmap,
  PROT_READ,
  PROT_WRITE,
  touch,
} from "../libc/mman.js";
import { dec, enc, puts } from "../libc/stdio.js";
import {
  clock_gettime,
  close,
  fork,
  getpid,
  kill,
  nanosleep,
  open,
  pipe,
  poll,
  read,
  sigaction,
  sysinfo,
  uname,
  wait4,
  write,
} from "../libc/sys.js";

const NS = 1e9;
const DEFAULT_TIMEOUT = 86400;
const DEFAULT_VM_BYTES = 256 * 1024 * 1024;
const MIN_VM_BYTES = 4096;
const MAX_VM_HANG = 3600;
const STRESS_PROCS_MAX = 4096;
/** Pages written between two looks at the clock (stress-vm checks keep_stressing in its loops). */
const CHUNK = 4 * 1024 * 1024;
const EXIT_FAILURE = 1;
/** mmap attempts 100 ms apart before a worker gives up (NO_MEM_RETRIES_MAX). */
const NO_MEM_RETRIES_MAX = 100;

/** vm_madvise_info[], in stress-vm.c's order. */
const MADVISE: [string, number][] = [
  ["dontneed", MADV_DONTNEED],
  ["hugepage", MADV_HUGEPAGE],
  ["mergeable", MADV_MERGEABLE],
  ["nohugepage", MADV_NOHUGEPAGE],
  ["normal", MADV_NORMAL],
  ["random", MADV_RANDOM],
  ["sequential", MADV_SEQUENTIAL],
  ["unmergeable", MADV_UNMERGEABLE],
  ["willneed", MADV_WILLNEED],
];
/** What stress_madvise_random() picks from when no --vm-madvise is given. */
const MADVISE_RANDOM = [
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_WILLNEED,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
];

const LONGOPTS: LongOpt[] = [
  { name: "vm", arg: 1, val: "m" },
  { name: "vm-bytes", arg: 1, val: "vm-bytes" },
  { name: "vm-keep", arg: 0, val: "vm-keep" },
  { name: "vm-hang", arg: 1, val: "vm-hang" },
  { name: "vm-populate", arg: 0, val: "vm-populate" },
  { name: "vm-madvise", arg: 1, val: "vm-madvise" },
  { name: "timeout", arg: 1, val: "t" },
  { name: "verbose", arg: 0, val: "v" },
  { name: "quiet", arg: 0, val: "q" },
  { name: "metrics-brief", arg: 0, val: "metrics-brief" },
];

/** The run's settings (stress-ng's g_opt_* and the vm stressor's settings). */
interface StressOpts {
  instances: number; // --vm N
  vmBytes: number; // --vm-bytes, the total over all instances
  keep: boolean; // --vm-keep: map once, keep rewriting
  hang: number; // --vm-hang seconds; -1: none
  populate: boolean; // --vm-populate: MAP_POPULATE
  advice: number; // --vm-madvise; -1: stress_madvise_random()
  timeout: number; // seconds; -1: not set
  verbose: boolean; // -v: debug lines
  quiet: boolean; // -q: no info lines
  metricsBrief: boolean; // --metrics-brief
}

/** A bad option: stress-ng prints the message on stderr and exits 1 (longjmp(g_error_env)). */
class OptError {
  constructor(readonly message: string) {}
}

/* ---- numbers (core-parse-opts.c, core-helper.c) ---- */

/** stress_uint64_to_str: "4.0K", "256.0M", "0.0". */
export function uint64_to_str(val: number): string {
  const units: [number, string][] = [
    [2 ** 60, "E"],
    [2 ** 50, "P"],
    [2 ** 40, "T"],
    [2 ** 30, "G"],
    [2 ** 20, "M"],
    [2 ** 10, "K"],
  ];
  for (const [size, suffix] of units) {
    const scaled = Math.floor(val / size);
    if (scaled >= 1 && scaled < 1024) return `${(val / size).toFixed(1)}${suffix}`;
  }
  return val.toFixed(1);
}

/** stress_duration_to_str: " (1 min, 0.01 secs)" above a minute, else "". */
export function duration_to_str(duration: number): string {
  if (duration <= 60) return "";
  let dur = duration;
  let s = " (";
  for (const [scale, unit] of [
    [86400, "day"],
    [3600, "hour"],
    [60, "min"],
  ] as const) {
    if (dur >= scale) {
      const n = Math.floor(dur / scale);
      s += `${n} ${unit}${n > 1 ? "s" : ""}, `;
      dur -= n * scale;
    }
  }
  return `${s}${dur.toFixed(2)} secs)`;
}

/** stress_get_uint64_scale: a number, then an optional scale letter. */
function get_uint64_scale(str: string, scales: Record<string, number>, what: string): number {
  if (/^[^0-9]*-[^0-9]*[0-9]/.test(str)) throw new OptError(`Invalid negative number ${str}`);
  const m = /^\s*\+?([0-9]+)/.exec(str);
  if (!m) throw new OptError(`Invalid number ${str}`);
  const val = Number(m[1]);
  const ch = str[str.length - 1];
  if (/[0-9]/.test(ch)) return val;
  const scale = scales[ch.toLowerCase()];
  if (scale === undefined) throw new OptError(`Illegal ${what} specifier ${ch}`);
  return val * scale;
}

const BYTE_SCALES = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };
const TIME_SCALES = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** stress_get_uint64_byte_memory: bytes with a suffix, or P% of physical memory. */
function get_bytes_memory(str: string, physMem: number): number {
  if (str.length > 1 && str.endsWith("%")) {
    const v = Number.parseFloat(str);
    if (Number.isNaN(v) || v < 0) throw new OptError(`Invalid percentage ${str}`);
    return Math.floor((physMem * v) / 100);
  }
  return get_uint64_scale(str, BYTE_SCALES, "length");
}

/** stress_get_int32 and stress_get_processors for a stressor count: 0 or less means one per CPU. */
function get_instances(str: string, cpus: number): number {
  const m = /^\s*([+-]?[0-9]+)/.exec(str);
  if (!m) throw new OptError(`Invalid number ${str}`);
  let n = Number(m[1]);
  if (n <= 0) n = cpus;
  if (n > STRESS_PROCS_MAX)
    throw new OptError(`Number of vm stressors must be between 0 and ${STRESS_PROCS_MAX}`);
  return n;
}

/** stress_check_range_bytes. */
function check_range_bytes(opt: string, val: number, lo: number, hi: number): void {
  if (val < lo || val > hi)
    throw new OptError(
      `Value ${uint64_to_str(val)}B is out of range for ${opt}, allowed: ${uint64_to_str(lo)}B .. ${uint64_to_str(hi)}B`,
    );
}

/** Online CPUs, as sysconf(_SC_NPROCESSORS_ONLN) counts them from /proc/stat. */
function* online_cpus(): UserGen<number> {
  const t = yield* read_text("/proc/stat");
  return typeof t === "number" ? 1 : t.split("\n").filter((l) => /^cpu[0-9]+ /.test(l)).length;
}

function* parse_opts(
  argv: string[],
  physMem: number,
  cpus: number,
): UserGen<StressOpts | OptError | GetoptError> {
  const o = getopt(argv, "?khMVvqnt:m:", LONGOPTS);
  if (o instanceof GetoptError) return o;
  const s: StressOpts = {
    instances: 0,
    vmBytes: DEFAULT_VM_BYTES,
    keep: false,
    hang: -1,
    populate: false,
    advice: -1,
    timeout: -1,
    verbose: false,
    quiet: false,
    metricsBrief: false,
  };
  // MAX_MEM_LIMIT: MAX_32 on a 32-bit build, MAX_48 on a 64-bit one.
  const maxMem = /^(armv7l|i686)$/.test((yield* uname()).machine) ? 2 ** 32 - 1 : 2 ** 48;
  try {
    for (const { key, arg } of o.seen) {
      switch (key) {
        case "m":
          s.instances = get_instances(arg!, cpus);
          break;
        case "vm-bytes":
          s.vmBytes = get_bytes_memory(arg!, physMem);
          check_range_bytes("vm-bytes", s.vmBytes, MIN_VM_BYTES, maxMem);
          break;
        case "vm-keep":
          s.keep = true;
          break;
        case "vm-hang":
          s.hang = get_uint64_scale(arg!, TIME_SCALES, "time");
          if (s.hang > MAX_VM_HANG)
            throw new OptError(`Value ${s.hang} is out of range for vm-hang, allowed: 0 .. ${MAX_VM_HANG}`);
          break;
        case "vm-populate":
          s.populate = true;
          break;
        case "vm-madvise": {
          const a = MADVISE.find(([name]) => name === arg);
          if (!a)
            return new OptError(
              `invalid vm-madvise advice '${arg}', allowed advice options are: ${MADVISE.map(([n]) => n).join(" ")}`,
            );
          s.advice = a[1];
          break;
        }
        case "t":
          s.timeout = get_uint64_scale(arg!, TIME_SCALES, "time");
          break;
        case "v":
          s.verbose = true;
          break;
        case "q":
          s.quiet = true;
          break;
        case "metrics-brief":
          s.metricsBrief = true;
          break;
        default:
          // -? (and anything getopt_long answers with '?'): OPT_query.
          return new OptError("Try 'stress-ng --help' for more information.");
      }
    }
  } catch (e) {
    if (e instanceof OptError) return e;
    throw e;
  }
  if (o.rest.length) return new OptError(`Error: unrecognised option: ${o.rest.join(" ")}`);
  return s;
}

/* ---- logging (core-log.c): "stress-ng: info:  [PID] ..." ---- */

interface Log {
  inf(msg: string): UserGen<void>;
  dbg(msg: string): UserGen<void>;
  err(msg: string): UserGen<void>;
}

function logger(s: Pick<StressOpts, "verbose" | "quiet">): Log {
  const out = function* (tag: string, msg: string): UserGen<void> {
    const pid = yield* getpid();
    yield* puts(1, `stress-ng: ${tag} [${pid}] ${msg}\n`);
  };
  return {
    *inf(msg) {
      if (!s.quiet) yield* out("info: ", msg);
    },
    *dbg(msg) {
      if (s.verbose) yield* out("debug:", msg);
    },
    *err(msg) {
      yield* out("error:", msg);
    },
  };
}

const now = (): UserGen<number> => clock_gettime(CLOCK_MONOTONIC);

/** stress_set_oom_adjustment: -1000 for stress-ng's own processes (root), 1000 for workers. */
function* set_oom_adjustment(killable: boolean): UserGen<void> {
  const fd = yield* open("/proc/self/oom_score_adj", 1 /* O_WRONLY */);
  if (fd < 0) return;
  yield* write(fd, enc(killable ? "1000\n" : "-1000\n"));
  yield* close(fd);
}

/**
 * A process's "keep stressing" flag. Each process of the run makes its own
 * after fork (the handlers it inherited would set its parent's) and clears
 * it on SIGINT, SIGTERM, SIGHUP (stress_handle_terminate) or on the SIGALRM
 * its parent sends on (stress_kill_stressors); `forward` passes SIGALRM to
 * the process's children.
 */
interface Keep {
  going: boolean;
  children: number[];
}

function* keep_stressing(): UserGen<Keep> {
  const keep: Keep = { going: true, children: [] };
  const handler = function* (): UserGen<void> {
    keep.going = false;
    for (const pid of keep.children) yield* kill(pid, SIGALRM);
  };
  for (const sig of [SIGHUP, SIGINT, SIGTERM, SIGALRM]) yield* sigaction(sig, handler);
  return keep;
}

/** wait4 that a caught signal does not cut short (stress-ng's wait loop retries on EINTR). */
function* wait_child(pid: number): UserGen<WaitResult | number> {
  for (;;) {
    const w = yield* wait4(pid);
    if (w !== -EINTR) return w;
  }
}

/* ---- the vm stressor (stress-vm.c) ---- */

/** The run's shared state that a worker needs. */
interface VmContext {
  opts: StressOpts;
  bufSize: number; // this instance's share, page aligned
  deadline: number; // CLOCK_MONOTONIC ns at which to stop
  instance: number;
  report: number; // write end of the pipe a worker tells its bogo ops on
}

/** stress_vm_child: map, advise, write and read back, round after round, until the deadline. */
function* vm_child(c: VmContext, log: Log): UserGen<number> {
  const { opts, bufSize } = c;
  const keep = yield* keep_stressing();
  let buf = 0;
  let seed = (yield* getpid()) * 2654435761;
  let noMem = 0;
  let rounds = 0;
  while (keep.going && (yield* now()) < c.deadline) {
    if (noMem >= NO_MEM_RETRIES_MAX) {
      yield* log.err("stress-ng-vm: gave up trying to mmap, no available memory");
      break;
    }
    if (!opts.keep || buf === 0) {
      const flags = MAP_PRIVATE | MAP_ANONYMOUS | (opts.populate ? MAP_POPULATE : 0);
      const p = yield* mmap(0, bufSize, PROT_READ | PROT_WRITE, flags);
      if (p < 0) {
        noMem++;
        yield* nanosleep(100_000_000);
        continue;
      }
      buf = p;
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const advice = opts.advice >= 0 ? opts.advice : MADVISE_RANDOM[seed % MADVISE_RANDOM.length];
      yield* madvise(buf, bufSize, advice);
    }
    noMem = 0;
    // One pass writes the round's pattern (a distinct word per page), one reads it back.
    const fill = (0x5a + rounds * 0x25 + c.instance) & 0xff;
    for (const write of [true, false])
      for (let off = 0; off < bufSize; off += CHUNK) {
        if (off && (!keep.going || (yield* now()) >= c.deadline)) break;
        const r = yield* touch(buf + off, Math.min(CHUNK, bufSize - off), { write, fill, distinct: write });
        if (r < 0) return 139; // SIGSEGV/SIGBUS has been sent
      }
    rounds++;
    if (opts.hang >= 0) {
      const left = c.deadline - (yield* now());
      if (left > 0 && keep.going) yield* nanosleep(opts.hang === 0 ? left : Math.min(opts.hang * NS, left));
    }
    if (!opts.keep) {
      yield* munmap(buf, bufSize);
      buf = 0;
    }
  }
  if (buf) yield* munmap(buf, bufSize);
  yield* write(c.report, enc(`${rounds}\n`));
  return 0;
}

/** Bogo ops the workers wrote on the pipe (a killed worker wrote nothing). */
function* drain_reports(fd: number): UserGen<number> {
  let n = 0;
  while ((yield* poll([{ fd, events: POLLIN, revents: 0 }], 0)) > 0) {
    const b = yield* read(fd, 4096);
    if (typeof b === "number" || b.length === 0) break;
    for (const w of dec(b).split("\n")) if (w) n += Number(w);
  }
  return n;
}

/** stress_oomable_child: run the worker in a child; if the OOM killer takes it, start another. */
function* vm_instance(c: Omit<VmContext, "report">, log: Log): UserGen<{ rc: number; ops: number }> {
  const name = "stress-ng-vm";
  const fds = yield* pipe();
  if (typeof fds === "number") return { rc: EXIT_FAILURE, ops: 0 };
  const ctx: VmContext = { ...c, report: fds[1] };
  const keep = yield* keep_stressing();
  let ooms = 0;
  let rc = 0;
  let ops = 0;
  while (keep.going && (yield* now()) < c.deadline) {
    const pid = yield* fork(function* () {
      yield* set_oom_adjustment(true);
      return yield* vm_child(ctx, log);
    });
    if (pid < 0) {
      yield* log.err(`${name}: fork failed: errno=${-pid}`);
      rc = EXIT_FAILURE;
      break;
    }
    keep.children = [pid];
    const w = yield* wait_child(pid);
    keep.children = [];
    ops += yield* drain_reports(fds[0]);
    if (typeof w === "number") break;
    const sig = w.status & 0x7f;
    if (sig === 0) {
      rc = (w.status >> 8) & 0xff;
      break;
    }
    const signame = sig === SIGKILL ? "SIGKILL" : `SIG${sig}`;
    yield* log.dbg(`${name}: child died: signal ${sig} '${signame}' (instance ${c.instance})`);
    if (sig !== SIGKILL) {
      rc = EXIT_FAILURE;
      break;
    }
    yield* log.dbg(`${name}: assuming killed by OOM killer, restarting again (instance ${c.instance})`);
    ooms++;
  }
  yield* close(fds[0]);
  yield* close(fds[1]);
  if (ooms) yield* log.dbg(`${name}: OOM restarts: ${ooms}, out of memory restarts: 0.`);
  return { rc, ops };
}

/* ---- main (stress-ng.c) ---- */

/** What an instance tells main at its end (stress-ng keeps it in shared memory). */
interface InstanceStats {
  ops: number; // bogo ops: rounds over the buffer
  real: number; // seconds from its start to its end
}

export function* stress_ng_main(argv: string[]): UserGen<number> {
  const si = yield* sysinfo();
  const physMem = si.totalram * si.mem_unit;
  const cpus = yield* online_cpus();
  const parsed = yield* parse_opts(argv, physMem, cpus);
  if (parsed instanceof GetoptError) {
    yield* puts(2, `${parsed.message}\n`);
    yield* puts(1, "Try 'stress-ng --help' for more information.\n");
    return EXIT_FAILURE;
  }
  if (parsed instanceof OptError) {
    const toStdout = parsed.message.startsWith("Try ") || parsed.message.startsWith("Error: ");
    yield* puts(toStdout ? 1 : 2, `${parsed.message}\n`);
    return EXIT_FAILURE;
  }
  const opts = parsed;
  const log = logger(opts);
  const plural = cpus === 1 ? "" : "s";
  yield* log.dbg(`invoked with '${argv.join(" ")}' by user 0`);
  yield* log.dbg(
    `RAM total: ${uint64_to_str(physMem)}, RAM free: ${uint64_to_str(si.freeram * si.mem_unit)}, swap free: ${uint64_to_str(si.freeswap * si.mem_unit)}`,
  );
  yield* log.dbg(`${cpus} processor${plural} online, ${cpus} processor${plural} configured`);
  const action = opts.timeout < 0 ? "defaulting" : "setting";
  if (opts.timeout < 0) opts.timeout = DEFAULT_TIMEOUT;
  yield* log.inf(`${action} to a ${opts.timeout} second${duration_to_str(opts.timeout)} run per stressor`);
  if (opts.instances === 0) {
    yield* log.err("No stress workers invoked");
    return EXIT_FAILURE;
  }
  yield* log.inf(`dispatching hogs: ${opts.instances} vm`);
  yield* set_oom_adjustment(false);
  // stress_vm: each instance's share of --vm-bytes, at least a page, page aligned.
  const share = Math.max(MIN_VM_BYTES, Math.floor(opts.vmBytes / opts.instances));
  const bufSize = share - (share % 4096);
  const stats = yield* pipe();
  if (typeof stats === "number") return EXIT_FAILURE;
  yield* log.dbg("starting stressors");
  const start = yield* now();
  const children: number[] = [];
  for (let i = 0; i < opts.instances; i++) {
    const pid = yield* fork(function* () {
      const t0 = yield* now();
      const me = yield* getpid();
      yield* log.dbg(`stress-ng-vm: started [${me}] (instance ${i})`);
      if (i === 0) yield* log.dbg("stress-ng-vm using method 'all'");
      const r = yield* vm_instance({ opts, bufSize, deadline: t0 + opts.timeout * NS, instance: i }, log);
      yield* write(stats[1], enc(`${r.ops} ${(yield* now()) - t0}\n`));
      yield* log.dbg(`stress-ng-vm: exited [${me}] (instance ${i})`);
      return r.rc;
    });
    if (pid < 0) {
      yield* log.err(`Cannot fork: errno=${-pid}`);
      break;
    }
    children.push(pid);
  }
  let passed = 0;
  let failed = 0;
  let success = true;
  let usr = 0;
  let sys = 0;
  // Ctrl-C, kill -TERM...: the instances are told with SIGALRM and the run ends as usual.
  const keep = yield* keep_stressing();
  keep.children = children;
  for (const pid of children) {
    const w = yield* wait_child(pid);
    if (typeof w === "number") continue;
    usr += w.rusage.ru_utime / NS;
    sys += w.rusage.ru_stime / NS;
    const sig = w.status & 0x7f;
    if (sig) {
      yield* log.dbg(`process ${pid} (stress-ng-vm) terminated on signal: ${sig}`);
      if (sig === SIGKILL)
        yield* log.dbg(`process ${pid} (stress-ng-vm) was possibly killed by the OOM killer`);
      else success = false;
      failed++;
    } else if ((w.status >> 8) & 0xff) {
      failed++;
      success = false;
    } else passed++;
    yield* log.dbg(`process [${pid}] terminated`);
  }
  const duration = ((yield* now()) - start) / NS;
  yield* close(stats[1]);
  const got: InstanceStats[] = [];
  for (const line of dec((yield* read(stats[0], 65536)) as Uint8Array).split("\n"))
    if (line) {
      const [ops, ns] = line.split(" ").map(Number);
      got.push({ ops, real: ns / NS });
    }
  yield* close(stats[0]);
  if (opts.metricsBrief) yield* metrics_brief(log, got, usr, sys);
  yield* log.dbg("metrics-check: all stressor metrics validated and sane");
  yield* log.inf(passed ? `passed: ${passed}: vm (${passed})` : "passed: 0");
  yield* log.inf(failed ? `failed: ${failed}: vm (${failed})` : "failed: 0");
  yield* log.inf("skipped: 0");
  yield* log.inf(
    `${success ? "successful" : "unsuccessful"} run completed in ${duration.toFixed(2)}s${duration_to_str(duration)}`,
  );
  return success ? 0 : 2;
}

/**
 * --metrics-brief: stress_metrics_dump's short table. Real time is the
 * instances' average; usr and sys come from wait4's rusage of the instances.
 */
function* metrics_brief(log: Log, got: InstanceStats[], usr: number, sys: number): UserGen<void> {
  const head = (a: string[]): string =>
    `${a[0].padEnd(13)} ${a[1].padStart(9)} ${a[2].padStart(9)} ${a[3].padStart(9)} ${a[4].padStart(9)} ${a[5].padStart(12)} ${a[6].padStart(14)}`;
  yield* log.inf(
    head(["stressor", "bogo ops", "real time", "usr time", "sys time", "bogo ops/s", "bogo ops/s"]),
  );
  yield* log.inf(head(["", "", "(secs) ", "(secs) ", "(secs) ", "(real time)", "(usr+sys time)"]));
  const ops = got.reduce((a, g) => a + g.ops, 0);
  const real = got.length ? got.reduce((a, g) => a + g.real, 0) / got.length : 0;
  const rate = (t: number): string => (t > 0 ? ops / t : 0).toFixed(2);
  const f2 = (v: number): string => v.toFixed(2);
  yield* log.inf(
    `${"vm".padEnd(13)} ${String(ops).padStart(9)} ${f2(real).padStart(9)} ${f2(usr).padStart(9)} ${f2(sys).padStart(9)} ${rate(real).padStart(12)} ${rate(usr + sys).padStart(14)}`,
  );
}
