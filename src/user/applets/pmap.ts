/*
 * pmap.ts - pmap (procps/pmap.c): a process's mappings from
 * /proc/PID/smaps, one line each (address, size, mode, mapping), and the
 * total; -x adds Pss, Dirty and Swap columns, -q leaves out the header and
 * the total. Nameless areas show as "  [ anon ]"; a name is cut at its first
 * blank ("/dev/zero (deleted)" shows as "/dev/zero"), as libbb's
 * procps_read_smaps does. Addresses are as wide as a pointer. A PID that
 * cannot be read makes the status 42 (GNU pmap's).
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_getopt, bb_show_usage, strtoi_range, xnum } from "../libc/libbb.js";
import { exec_info } from "../libc/mman.js";
import { puts } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `pmap [-xq] PID...

Display process memory usage

\t-x\tShow details
\t-q\tQuiet`;

interface Smaprec {
  start: number;
  size: number;
  mode: string;
  name: string;
  pss: number;
  dirty: number;
  swap: number;
}

/** read_cmdline(buf, 256, pid, NULL): the command line with blanks, or "[?]". */
function* read_cmdline(pid: number): UserGen<string> {
  const t = yield* read_text(`/proc/${pid}/cmdline`);
  if (typeof t === "number" || t.length === 0) return "[?]";
  return t
    .slice(0, 255)
    .replace(/\0+$/, "")
    .replace(/[\0-\x1f]/g, " ");
}

function* procps_read_smaps(pid: number): UserGen<Smaprec[] | null> {
  const text = yield* read_text(`/proc/${pid}/smaps`);
  if (typeof text === "number") return null;
  const recs: Smaprec[] = [];
  let cur: Smaprec | null = null;
  const num = (line: string): number => Number.parseInt(line.slice(line.indexOf(":") + 1).trim(), 10) || 0;
  for (const line of text.split("\n")) {
    if (cur && line.startsWith("Pss:")) cur.pss = num(line);
    else if (cur && line.startsWith("Swap:")) cur.swap = num(line);
    else if (cur && line.startsWith("Private_Dirty:")) cur.dirty = num(line);
    else if (line.includes("-") && /^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      const f = line.split(/\s+/);
      const [lo, hi] = f[0].split("-").map((x) => Number.parseInt(x, 16));
      const name = f.slice(5).join(" ").split(/\s/)[0] ?? "";
      cur = {
        start: lo,
        size: (hi - lo) / 1024,
        mode: f[1].slice(0, 4),
        name: name || "  [ anon ]",
        pss: 0,
        dirty: 0,
        swap: 0,
      };
      recs.push(cur);
    }
  }
  return recs;
}

function* pmap_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "xq", USAGE);
  if (!o) return 1;
  if (o.rest.length === 0) return yield* bb_show_usage(USAGE);
  const info = yield* exec_info();
  const wide = !info || info.task_size > 2 ** 32;
  const aw = wide ? 16 : 8;
  const tabs = wide ? "\t\t" : "\t";
  const pad = (n: number): string => String(n).padStart(7);
  let ret = 0;
  for (const arg of o.rest) {
    const pid = yield* xnum("pmap", strtoi_range(arg, 0, 2147483647));
    if (pid === null) return 1;
    let out = `${pid}: ${yield* read_cmdline(pid)}\n`;
    if (o.has("x") && !o.has("q")) out += `Address${tabs}  Kbytes     PSS   Dirty    Swap  Mode  Mapping\n`;
    const recs = yield* procps_read_smaps(pid);
    if (!recs) {
      yield* puts(1, out);
      ret = 42;
      continue;
    }
    const total = { size: 0, pss: 0, dirty: 0, swap: 0 };
    for (const r of recs) {
      out += `${r.start.toString(16).padStart(aw, "0")} `;
      out += o.has("x") ? `${pad(r.size)} ${pad(r.pss)} ${pad(r.dirty)} ${pad(r.swap)} ` : `${pad(r.size)}K`;
      out += ` ${r.mode}  ${r.name}\n`;
      total.size += r.size;
      total.pss += r.pss;
      total.dirty += r.dirty;
      total.swap += r.swap;
    }
    if (!o.has("q")) {
      if (o.has("x"))
        out += `--------${wide ? "--------" : ""}  ------  ------  ------  ------\ntotal${tabs} ${pad(total.size)} ${pad(total.pss)} ${pad(total.dirty)} ${pad(total.swap)}\n`;
      else out += `mapped: ${total.size}K\n`;
    }
    yield* puts(1, out);
  }
  return ret;
}

export const pmap: Applet = { name: "pmap", dir: "/usr/bin", usage: USAGE, main: pmap_main };
