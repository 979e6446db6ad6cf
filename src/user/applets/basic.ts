/*
 * basic.ts - the first applets: echo, cat, uname, free, dmesg, mount,
 * cttyhack. Each follows BusyBox 1.35's behaviour and output format.
 */

import { O_RDONLY, O_RDWR, SYSLOG_ACTION_READ_ALL, TIOCSCTTY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { execvp } from "../libc/proc.js";
import { dec, enc, puts, read_all, strerror, write_all } from "../libc/stdio.js";
import { close, dup2, execve, ioctl, mount, open, read, sysinfo, syslog, uname, write } from "../libc/sys.js";
import { register } from "./registry.js";

function* echo_main(argv: string[]): UserGen<number> {
  let args = argv.slice(1);
  let nl = true;
  let esc = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    for (const c of args[0].slice(1)) {
      if (c === "n") nl = false;
      else if (c === "e") esc = true;
      else esc = false;
    }
    args = args.slice(1);
  }
  let s = args.join(" ");
  if (esc) {
    const cut = s.indexOf("\\c");
    if (cut >= 0) {
      s = s.slice(0, cut);
      nl = false;
    }
    s = s.replace(/\\(0[0-7]{0,3}|[abfnrtv\\])/g, (_m, c: string) => {
      if (c.startsWith("0")) return String.fromCharCode(Number.parseInt(c.slice(1) || "0", 8));
      return (
        { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" } as Record<
          string,
          string
        >
      )[c];
    });
  }
  const r = yield* puts(1, nl ? `${s}\n` : s);
  if (r < 0) {
    yield* puts(2, `echo: write error: ${strerror(r)}\n`);
    return 1;
  }
  return 0;
}

function* cat_main(argv: string[]): UserGen<number> {
  const files = argv.slice(1).filter((a) => a !== "-u");
  if (files.length === 0) files.push("-");
  let status = 0;
  for (const f of files) {
    const fd = f === "-" ? 0 : yield* open(f, O_RDONLY);
    if (fd < 0) {
      yield* puts(2, `cat: can't open '${f}': ${strerror(fd)}\n`);
      status = 1;
      continue;
    }
    for (;;) {
      const r = yield* read(fd, 65536);
      if (typeof r === "number") {
        yield* puts(2, `cat: read error: ${strerror(r)}\n`);
        status = 1;
        break;
      }
      if (r.length === 0) break;
      const w = yield* write_all(1, r);
      if (w < 0) {
        yield* puts(2, `cat: write error: ${strerror(w)}\n`);
        return 1;
      }
    }
    if (fd !== 0) yield* close(fd);
  }
  return status;
}

function* uname_main(argv: string[]): UserGen<number> {
  const u = yield* uname();
  const opts = argv.slice(1).join("").replace(/-/g, "");
  const all = opts.includes("a");
  const parts: string[] = [];
  const want = (c: string): boolean => all || opts.includes(c);
  if (want("s") || opts === "") parts.push(u.sysname);
  if (want("n")) parts.push(u.nodename);
  if (want("r")) parts.push(u.release);
  if (want("v")) parts.push(u.version);
  if (want("m")) parts.push(u.machine);
  if (all || opts.includes("p"))
    parts.push(opts.includes("p") && !all ? "unknown" : u.machine === "armv7l" ? "" : "");
  const out = parts.filter(Boolean);
  if (all) out.push("GNU/Linux");
  yield* puts(1, `${out.join(" ")}\n`);
  return 0;
}

/** free (procps/free.c): sysinfo plus Cached, SReclaimable and MemAvailable from /proc/meminfo. */
function* free_main(argv: string[]): UserGen<number> {
  let shift = 10;
  let human = false;
  for (const a of argv.slice(1)) {
    if (a === "-b") shift = 0;
    else if (a === "-k") shift = 10;
    else if (a === "-m") shift = 20;
    else if (a === "-g") shift = 30;
    else if (a === "-h") human = true;
    else {
      yield* puts(
        2,
        `free: invalid option -- '${a.replace(/^-/, "").slice(0, 1)}'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: free [-bkmgh]\n\nDisplay free and used memory\n`,
      );
      return 1;
    }
  }
  const info = yield* sysinfo();
  const fd = yield* open("/proc/meminfo", O_RDONLY);
  let cached = 0;
  let available = -1;
  if (fd >= 0) {
    const data = yield* read_all(fd);
    yield* close(fd);
    if (typeof data !== "number") {
      for (const line of dec(data).split("\n")) {
        const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
        if (!m) continue;
        if (m[1] === "Cached" || m[1] === "SReclaimable") cached += Number(m[2]);
        if (m[1] === "MemAvailable") available = Number(m[2]);
      }
    }
  }
  const unit = info.mem_unit || 1;
  const kb = (v: number): number => (v * unit) / 1024;
  const total = kb(info.totalram);
  const free = kb(info.freeram);
  const shared = kb(info.sharedram);
  const buffcache = cached + kb(info.bufferram);
  const used = total - free - buffcache;
  const fmt = (v: number): string => {
    if (human) return human_kb(v).padStart(12, " ");
    return String(Math.floor((v * 1024) / 2 ** shift)).padStart(12, " ");
  };
  let out = `${"".padEnd(12)}${"total".padStart(12)}${"used".padStart(12)}${"free".padStart(12)}${"shared".padStart(12)}${"buff/cache".padStart(12)}${"available".padStart(12)}\n`;
  out += `Mem:${fmt(total)
    .slice(0)
    .padStart(20 - 4 + 8 - 12 + 12)}`;
  out = `              total        used        free      shared  buff/cache   available\n`;
  out += `Mem:   ${fmt(total)}${fmt(used)}${fmt(free)}${fmt(shared)}${fmt(buffcache)}${fmt(available >= 0 ? available : free)}\n`;
  out += `Swap:  ${fmt(kb(info.totalswap))}${fmt(kb(info.totalswap - info.freeswap))}${fmt(kb(info.freeswap))}\n`;
  yield* puts(1, out);
  return 0;
}

/** make_human_readable_str as free -h prints it: 996.8M, 15.2M, 0. */
function human_kb(kbv: number): string {
  if (kbv === 0) return "0";
  const units = ["K", "M", "G", "T"];
  let v = kbv;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)}${units[0]}`;
  return `${v.toFixed(1)}${units[u]}`;
}

function* dmesg_main(argv: string[]): UserGen<number> {
  const r = yield* syslog(SYSLOG_ACTION_READ_ALL);
  if (typeof r === "number") {
    yield* puts(2, `dmesg: klogctl: ${strerror(r)}\n`);
    return 1;
  }
  const raw = argv.includes("-r");
  const text = raw ? r : r.replace(/^<\d>/gm, "");
  yield* puts(1, text);
  return 0;
}

function* mount_main(argv: string[]): UserGen<number> {
  const args = argv.slice(1);
  if (args.length === 0) {
    const fd = yield* open("/proc/mounts", O_RDONLY);
    if (fd < 0) {
      yield* puts(2, `mount: can't read '/proc/mounts': ${strerror(fd)}\n`);
      return 1;
    }
    const data = yield* read_all(fd);
    yield* close(fd);
    if (typeof data === "number") return 1;
    let out = "";
    for (const line of dec(data).split("\n").filter(Boolean)) {
      const [dev, dir, type, opts] = line.split(" ");
      out += `${dev} on ${dir} type ${type} (${opts})\n`;
    }
    yield* puts(1, out);
    return 0;
  }
  let type = "";
  let opts = "";
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-t") type = args[++i] ?? "";
    else if (args[i] === "-o") opts = args[++i] ?? "";
    else rest.push(args[i]);
  }
  const [src, dir] = rest.length === 1 ? [rest[0], rest[0]] : rest;
  const r = yield* mount(src, dir, type, 0, opts);
  if (r < 0) {
    yield* puts(2, `mount: mounting ${src} on ${dir} failed: ${strerror(r)}\n`);
    return 255;
  }
  return 0;
}

/** cttyhack: run a program on the real console tty, so it can have job control. */
function* cttyhack_main(argv: string[], envp: string[]): UserGen<number> {
  const fd0 = yield* open("/sys/class/tty/console/active", O_RDONLY);
  let dev = "";
  if (fd0 >= 0) {
    const d = yield* read_all(fd0);
    yield* close(fd0);
    if (typeof d !== "number") dev = dec(d).trim().split(/\s+/).pop() ?? "";
  }
  if (dev) {
    const fd = yield* open(`/dev/${dev}`, O_RDWR);
    if (fd >= 0) {
      for (const n of [0, 1, 2]) yield* dup2(fd, n);
      if (fd > 2) yield* close(fd);
      yield* ioctl(0, TIOCSCTTY, 0);
    }
  }
  const r = yield* execvp(argv.slice(1), envp);
  yield* puts(2, `cttyhack: can't execute '${argv[1]}': ${strerror(r)}\n`);
  void execve;
  void write;
  void enc;
  return 1;
}

register(
  { name: "echo", dir: "/bin", main: echo_main },
  { name: "cat", dir: "/bin", main: cat_main },
  { name: "uname", dir: "/bin", main: uname_main },
  { name: "free", dir: "/usr/bin", main: free_main },
  { name: "dmesg", dir: "/bin", main: dmesg_main },
  { name: "mount", dir: "/bin", main: mount_main },
  { name: "cttyhack", dir: "/bin", main: cttyhack_main },
);
