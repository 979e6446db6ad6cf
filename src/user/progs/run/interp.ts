/*
 * interp.ts - /usr/bin/run: runs a program written in the `run` language
 * (parse.ts, docs/run.md) as an ordinary process of the machine. Every
 * command is what a C program would do: a libc call (malloc keeps glibc's
 * heap and mmap threshold, see libc/malloc.ts), a system call, or loads and
 * stores that the kernel serves through page faults. Nothing in a program
 * runs on the host.
 *
 *   run PROG [ARGS...]    PROG is a path, or a name in /usr/share/run
 *
 * A failing call stops the program with "run: FILE:LINE: CALL: error" and
 * status 1, as a C program calling err() would; "try CALL" keeps going and
 * stores -errno instead. A syntax error is reported before anything runs.
 */

import type { UserGen } from "../../../kernel/uapi/syscalls.js";
import { libc_of } from "../../libc/crt0.js";
import { read_dir, read_text } from "../../libc/file.js";
import type { Malloc } from "../../libc/malloc.js";
import * as mm from "../../libc/mman.js";
import { puts, strerror } from "../../libc/stdio.js";
import {
  close,
  execve,
  exit,
  fork,
  ftruncate,
  getpid,
  getrusage,
  kill,
  lseek,
  nanosleep,
  open,
  pause,
  read,
  wait4,
  write,
} from "../../libc/sys.js";
import { type Arg, eval_expr, parse_program, RunSyntaxError, type Stmt } from "./parse.js";

export const RUN_DIR = "/usr/share/run";

const PROT: Record<string, number> = { none: 0, r: 1, w: 2, x: 4, rw: 3, rx: 5, wx: 6, rwx: 7 };
const ADVICE: Record<string, number> = {
  normal: mm.MADV_NORMAL,
  random: mm.MADV_RANDOM,
  sequential: mm.MADV_SEQUENTIAL,
  willneed: mm.MADV_WILLNEED,
  dontneed: mm.MADV_DONTNEED,
  free: mm.MADV_FREE,
  dontfork: mm.MADV_DONTFORK,
  dofork: mm.MADV_DOFORK,
  mergeable: mm.MADV_MERGEABLE,
  unmergeable: mm.MADV_UNMERGEABLE,
  hugepage: mm.MADV_HUGEPAGE,
  nohugepage: mm.MADV_NOHUGEPAGE,
  dontdump: mm.MADV_DONTDUMP,
  dodump: mm.MADV_DODUMP,
  wipeonfork: mm.MADV_WIPEONFORK,
  keeponfork: mm.MADV_KEEPONFORK,
};
const OPEN_FLAGS: Record<string, number> = {
  r: 0,
  w: 1,
  rw: 2,
  create: 0o100,
  trunc: 0o1000,
  append: 0o2000,
  excl: 0o200,
};

/** A call that failed: the program stops (or, under "try", goes on). */
class CallFailed extends Error {
  constructor(
    readonly call: string,
    readonly errno: number,
  ) {
    super(call);
  }
}

/** A mistake in the program found while it runs (an unset name, a bad word). */
class RunError extends Error {}

class Interp {
  vars = new Map<string, number>();
  constructor(
    readonly file: string,
    readonly args: string[],
    readonly envp: string[],
    readonly malloc: Malloc,
    readonly sp: number,
  ) {}

  word(a: Arg | undefined, what: string): string {
    if (!a) throw new RunError(`missing ${what}`);
    return a.text;
  }

  num(a: Arg | undefined, what = "number"): number {
    if (!a) throw new RunError(`missing ${what}`);
    if (a.kind === "string") throw new RunError(`expected a ${what}, not a string`);
    const text = a.text.replace(/\$(\d+)/g, (_m, d: string) => this.args[Number(d)] ?? "0");
    try {
      return eval_expr(
        text,
        (n) =>
          this.vars.get(n) ??
          (n === "pagesize" ? 4096 : n === "sp" ? this.sp : n === "argc" ? this.args.length - 1 : undefined),
      );
    } catch (e) {
      throw new RunError((e as Error).message);
    }
  }

  /** Words like "populate" or "at=0x1000" after the fixed arguments. */
  options(args: Arg[]): Map<string, Arg | null> {
    const o = new Map<string, Arg | null>();
    for (const a of args) {
      const eq = a.text.indexOf("=");
      if (a.kind === "word" && eq > 0)
        o.set(a.text.slice(0, eq), { kind: "word", text: a.text.slice(eq + 1) });
      else o.set(a.text, null);
    }
    return o;
  }

  check(call: string, r: number): number {
    if (r < 0) throw new CallFailed(call, r);
    return r;
  }

  *cmd(s: Extract<Stmt, { kind: "cmd" }>): UserGen<number> {
    const a = s.args;
    switch (s.cmd) {
      case "malloc": {
        const p = yield* this.malloc.malloc(this.num(a[0], "size"));
        return p === 0 ? this.check("malloc", -12) : p;
      }
      case "free":
        yield* this.malloc.free(this.num(a[0], "address"));
        return 0;
      case "realloc": {
        const p = yield* this.malloc.realloc(this.num(a[0], "address"), this.num(a[1], "size"));
        return p === 0 ? this.check("realloc", -12) : p;
      }
      case "mallopt": {
        const param = this.word(a[0], "parameter");
        if (param !== "mmap_threshold" && param !== "trim_threshold" && param !== "top_pad")
          throw new RunError(`unknown mallopt parameter '${param}'`);
        this.malloc.mallopt(param, this.num(a[1], "value"));
        return 0;
      }
      case "mmap":
        return yield* this.mmap(a);
      case "munmap":
        return this.check("munmap", yield* mm.munmap(this.num(a[0], "address"), this.num(a[1], "size")));
      case "mprotect":
        return this.check(
          "mprotect",
          yield* mm.mprotect(this.num(a[0], "address"), this.num(a[1], "size"), this.prot(a[2])),
        );
      case "mremap": {
        const o = this.options(a.slice(3));
        let flags = o.has("maymove") ? mm.MREMAP_MAYMOVE : 0;
        const at = o.get("at");
        if (at) flags |= mm.MREMAP_FIXED | mm.MREMAP_MAYMOVE;
        const r = yield* mm.mremap(
          this.num(a[0], "address"),
          this.num(a[1], "size"),
          this.num(a[2], "size"),
          flags,
          at ? this.num(at) : 0,
        );
        return this.check("mremap", r);
      }
      case "madvise": {
        const adv = ADVICE[this.word(a[2], "advice")];
        if (adv === undefined) throw new RunError(`unknown advice '${a[2].text}'`);
        return this.check(
          "madvise",
          yield* mm.madvise(this.num(a[0], "address"), this.num(a[1], "size"), adv),
        );
      }
      case "mlock":
        return this.check(
          "mlock",
          yield* mm.mlock(
            this.num(a[0], "address"),
            this.num(a[1], "size"),
            a[2]?.text === "onfault" ? mm.MLOCK_ONFAULT : 0,
          ),
        );
      case "munlock":
        return this.check("munlock", yield* mm.munlock(this.num(a[0], "address"), this.num(a[1], "size")));
      case "mlockall": {
        let f = 0;
        for (const w of a)
          f |=
            w.text === "current"
              ? mm.MCL_CURRENT
              : w.text === "future"
                ? mm.MCL_FUTURE
                : w.text === "onfault"
                  ? mm.MCL_ONFAULT
                  : 0;
        return this.check("mlockall", yield* mm.mlockall(f));
      }
      case "munlockall":
        return this.check("munlockall", yield* mm.munlockall());
      case "mincore": {
        const v = yield* mm.mincore(this.num(a[0], "address"), this.num(a[1], "size"));
        if (typeof v === "number") return this.check("mincore", v);
        return v.reduce((x, b) => x + b, 0);
      }
      case "brk":
        return yield* mm.brk(a[0] ? this.num(a[0], "address") : 0);
      case "sbrk": {
        const old = yield* mm.brk(0);
        const inc = this.num(a[0], "increment");
        if (inc === 0) return old;
        const now = yield* mm.brk(old + inc);
        return now === old + inc ? old : this.check("sbrk", -12);
      }
      case "write":
      case "touch": {
        const addr = this.num(a[0], "address");
        const len = s.cmd === "touch" ? 1 : this.num(a[1], "size");
        if (s.cmd === "touch" && a[1])
          return yield* this.access(addr, this.num(a[1], "size"), { write: true });
        const fill = a[2] ? this.num(a[2], "byte") & 0xff : undefined;
        return yield* this.access(addr, len, fill === undefined ? { write: true } : { write: true, fill });
      }
      case "read":
        return yield* this.access(this.num(a[0], "address"), this.num(a[1], "size"), {});
      case "fetch":
        return yield* this.access(this.num(a[0], "address"), this.num(a[1], "size"), { exec: true });
      case "stack": {
        const depth = this.num(a[0], "size");
        return yield* this.access(this.sp - depth, depth, { write: true });
      }
      case "open": {
        const path = this.word(a[0], "path");
        let flags = 0;
        for (const w of a.slice(1)) {
          const f = OPEN_FLAGS[w.text];
          if (f === undefined) throw new RunError(`unknown open flag '${w.text}'`);
          flags |= f;
        }
        return this.check(`open ${path}`, yield* open(path, flags, 0o644));
      }
      case "close":
        return this.check("close", yield* close(this.num(a[0], "fd")));
      case "fread": {
        const r = yield* read(this.num(a[0], "fd"), this.num(a[1], "size"));
        return typeof r === "number" ? this.check("read", r) : r.length;
      }
      case "fwrite": {
        const n = this.num(a[1], "size");
        const byte = a[2] ? this.num(a[2], "byte") & 0xff : 0x78;
        return this.check("write", yield* write(this.num(a[0], "fd"), new Uint8Array(n).fill(byte)));
      }
      case "seek":
        return this.check("lseek", yield* lseek(this.num(a[0], "fd"), this.num(a[1], "offset"), 0));
      case "ftruncate":
        return this.check("ftruncate", yield* ftruncate(this.num(a[0], "fd"), this.num(a[1], "size")));
      case "wait": {
        const r = yield* wait4(a[0] ? this.num(a[0], "pid") : -1, 0);
        if (typeof r === "number") return this.check("wait", r);
        const st = r.status;
        return st & 0x7f ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
      }
      case "exit":
        return yield* exit(a[0] ? this.num(a[0], "status") : 0);
      case "exec": {
        const path = this.word(a[0], "program");
        const argv = a.map((x) =>
          x.kind === "word" && /^[\d$]|^[A-Za-z_]\w*$/.test(x.text) && this.vars.has(x.text)
            ? String(this.num(x))
            : x.text,
        );
        return this.check(`exec ${path}`, yield* execve(path, argv, this.envp));
      }
      case "sleep": {
        const t = this.word(a[0], "time");
        const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s)?$/.exec(t);
        if (!m) throw new RunError(`bad time '${t}'`);
        const unit = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[m[2] ?? "s"]!;
        yield* nanosleep(Math.round(Number(m[1]) * unit));
        return 0;
      }
      case "print":
        yield* puts(1, `${a.map((x) => (x.kind === "string" ? x.text : String(this.num(x)))).join(" ")}\n`);
        return 0;
      case "printf":
        yield* puts(1, this.format(a));
        return 0;
      case "show":
        return yield* this.show(a);
      case "pause":
        for (;;) yield* pause();
      case "kill":
        return this.check("kill", yield* kill(this.num(a[0], "pid"), a[1] ? this.num(a[1], "signal") : 15));
      case "getpid":
        return yield* getpid();
      case "let":
        return this.num(a[0], "value");
      case "faults": {
        // getrusage(RUSAGE_SELF): this process's page faults so far.
        const ru = yield* getrusage(0);
        yield* puts(1, `minflt=${ru.ru_minflt} majflt=${ru.ru_majflt}\n`);
        return ru.ru_minflt;
      }
    }
    throw new RunError(`unknown command '${s.cmd}'`);
  }

  prot(a: Arg | undefined): number {
    const p = PROT[a?.text ?? "rw"];
    if (p === undefined) throw new RunError(`bad protection '${a?.text}' (none, r, rw, rx, rwx...)`);
    return p;
  }

  *mmap(a: Arg[]): UserGen<number> {
    const len = this.num(a[0], "size");
    const rest = a.slice(1);
    const prot =
      rest[0] && PROT[rest[0].text] !== undefined ? this.prot(rest.shift()) : mm.PROT_READ | mm.PROT_WRITE;
    const o = this.options(rest);
    let flags = o.has("shared") ? mm.MAP_SHARED : mm.MAP_PRIVATE;
    const fd = o.get("fd");
    if (!fd) flags |= mm.MAP_ANONYMOUS;
    for (const [w, f] of [
      ["populate", mm.MAP_POPULATE],
      ["locked", mm.MAP_LOCKED],
      ["noreserve", mm.MAP_NORESERVE],
      ["growsdown", mm.MAP_GROWSDOWN],
    ] as const)
      if (o.has(w)) flags |= f;
    let addr = 0;
    const at = o.get("at");
    const hint = o.get("hint");
    if (at) {
      addr = this.num(at);
      flags |= mm.MAP_FIXED;
    } else if (hint) addr = this.num(hint);
    for (const k of o.keys())
      if (
        ![
          "shared",
          "private",
          "populate",
          "locked",
          "noreserve",
          "growsdown",
          "fd",
          "offset",
          "at",
          "hint",
        ].includes(k)
      )
        throw new RunError(`unknown mmap option '${k}'`);
    const off = o.get("offset");
    const r = yield* mm.mmap(addr, len, prot, flags, fd ? this.num(fd) : -1, off ? this.num(off) : 0);
    return this.check("mmap", r);
  }

  /** A load/store/fetch; a fatal fault has already killed us when it returns. */
  *access(
    addr: number,
    len: number,
    how: { write?: boolean; fill?: number; exec?: boolean },
  ): UserGen<number> {
    const r = yield* mm.touch(addr, len, how);
    return r < 0 ? this.check("access", r) : 0;
  }

  format(a: Arg[]): string {
    const fmt = a[0]?.kind === "string" ? a[0].text : this.word(a[0], "format");
    let i = 1;
    return fmt.replace(/%([-0]?\d*)([dxXpsuK%])/g, (_m, width: string, conv: string) => {
      if (conv === "%") return "%";
      const arg = a[i++];
      let v: string;
      if (conv === "s") v = arg ? (arg.kind === "string" ? arg.text : arg.text) : "";
      else {
        const n = this.num(arg, "value");
        v =
          conv === "x"
            ? n.toString(16)
            : conv === "X"
              ? n.toString(16).toUpperCase()
              : conv === "p"
                ? `0x${n.toString(16)}`
                : conv === "K"
                  ? `${Math.floor(n / 1024)} kB`
                  : String(n);
      }
      const w = Number(width.replace(/^[-0]/, "") || 0);
      return width.startsWith("-") ? v.padEnd(w) : v.padStart(w, width.startsWith("0") ? "0" : " ");
    });
  }

  /** show FILE [KEYS]: a file of /proc/self (or any path), whole or the lines of some keys. */
  *show(a: Arg[]): UserGen<number> {
    const name = this.word(a[0], "file");
    const path = name.startsWith("/") ? name : `/proc/self/${name}`;
    const text = yield* read_text(path);
    if (typeof text === "number") return this.check(`show ${path}`, text);
    const keys = a.slice(1).map((k) => k.text);
    const lines = text
      .split("\n")
      .filter(
        (l, i, all) =>
          (i < all.length - 1 || l !== "") &&
          (keys.length === 0 ||
            keys.some(
              (k) => l.startsWith(`${k}:`) || (!l.includes(":") || name === "maps" ? l.includes(k) : false),
            )),
      );
    yield* puts(1, lines.map((l) => `${l}\n`).join(""));
    return 0;
  }

  *block(body: Stmt[]): UserGen<void> {
    for (const s of body) {
      try {
        if (s.kind === "repeat") {
          const n = this.num(s.count, "count");
          for (let i = 0; i < n; i++) {
            if (s.var) this.vars.set(s.var, i);
            yield* this.block(s.body);
          }
        } else if (s.kind === "if") {
          if (this.num(s.cond, "condition") !== 0) yield* this.block(s.body);
        } else if (s.kind === "fork") {
          const body = s.body;
          const pid = yield* fork(() => this.child(body, s.assign));
          if (s.assign) this.vars.set(s.assign, this.check("fork", pid));
          else this.check("fork", pid);
        } else {
          let r: number;
          try {
            r = yield* this.cmd(s);
          } catch (e) {
            if (!(e instanceof CallFailed) || !s.tolerate) throw e;
            r = e.errno;
          }
          if (s.assign) this.vars.set(s.assign, r);
        }
      } catch (e) {
        if (e instanceof CallFailed) {
          yield* puts(2, `run: ${this.file}:${s.line}: ${e.call}: ${strerror(e.errno)}\n`);
          yield* exit(1);
        }
        if (e instanceof RunError) {
          yield* puts(2, `run: ${this.file}:${s.line}: ${e.message}\n`);
          yield* exit(2);
        }
        throw e;
      }
    }
  }

  /** The child of fork: a copy of everything (variables, heap bookkeeping), then the block. */
  *child(body: Stmt[], assign: string | null): UserGen<number> {
    const c = new Interp(this.file, this.args, this.envp, this.malloc.clone(), this.sp);
    c.vars = new Map(this.vars);
    if (assign) c.vars.set(assign, 0);
    yield* c.block(body);
    return 0;
  }
}

/** The usage, with the programs of RUN_DIR and what each shows (the first sentence of its "# NAME: ..." line). */
function* usage(): UserGen<number> {
  let text = `Usage: run PROG [ARGS...]\n\nRun a memory-behaviour program (see docs/run.md); PROG is a file or one of ${RUN_DIR}:\n`;
  const ents = yield* read_dir(RUN_DIR);
  const names = typeof ents === "number" ? [] : ents.map((d) => d.d_name).filter((n) => !n.startsWith("."));
  for (const name of names.sort()) {
    const prog = yield* read_text(`${RUN_DIR}/${name}`);
    const about =
      typeof prog === "number"
        ? null
        : new RegExp(`^# ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ([^.\\n]*\\.?)`, "m").exec(prog);
    text += `  ${name.padEnd(15)} ${about ? about[1] : ""}`.trimEnd() + "\n";
  }
  yield* puts(2, text);
  return 1;
}

export function* run_main(argv: string[], envp: string[], libc?: unknown): UserGen<number> {
  const L = libc_of(libc);
  const name = argv[1];
  if (!name || name === "--help" || name === "-h") return yield* usage();
  const path = name.includes("/") ? name : `${RUN_DIR}/${name}`;
  let text = yield* read_text(path);
  if (typeof text === "number" && !name.includes("/")) {
    const local = yield* read_text(name);
    if (typeof local !== "number") text = local;
  }
  if (typeof text === "number") {
    yield* puts(2, `run: ${name}: ${strerror(text)}\n`);
    return 1;
  }
  let prog: Stmt[];
  try {
    prog = parse_program(text);
  } catch (e) {
    if (!(e instanceof RunSyntaxError)) throw e;
    yield* puts(2, `run: ${name}:${e.line}: syntax error: ${e.message}\n`);
    return 2;
  }
  const sp = L.info ? L.info.start_stack - 8192 : 0;
  const it = new Interp(name, argv.slice(1), envp, L.malloc, sp);
  yield* it.block(prog);
  return 0;
}
