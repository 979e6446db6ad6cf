/*
 * sysctl.ts - sysctl (procps/sysctl.c): read and write the files under
 * /proc/sys by their dotted names.
 *
 *   sysctl vm.swappiness            vm.swappiness = 60
 *   sysctl -n vm.swappiness         60
 *   sysctl -w vm.drop_caches=3      vm.drop_caches = 3   (KEY=VALUE alone writes too)
 *   sysctl vm                       every file under vm/, recursively
 *   sysctl -a                       every file under /proc/sys
 *   sysctl -p [FILE]                "key = value" lines of FILE (/etc/sysctl.conf)
 *
 * A name becomes a path by turning as few dots as needed into slashes for
 * an existing file (sysctl_dots_to_slashes, from the right). Write-only
 * files (vm.drop_caches, vm.compact_memory) read as EACCES and are skipped
 * silently, as the reference shows; a missing key is "error: 'K' is an
 * unknown key" (not with -e); a value the kernel refuses ends sysctl with
 * "sysctl: write error: Invalid argument", status 1. -q keeps a write quiet.
 */

import { F_OK, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, S_ISDIR } from "../../kernel/uapi/abi.js";
import { EACCES, ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_dir, read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { dec, enc, read_all, write_all } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { access, chdir, close, open, stat } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `sysctl [-enq] { -a | -p [FILE]... | [-w] [KEY[=VALUE]]... }

Show/set kernel parameters

\t-e\tDon't warn about unknown keys
\t-n\tDon't show key names
\t-q      Quiet
\t-a\tShow all values
\t-p\tSet values from FILEs (default /etc/sysctl.conf)
\t-w\tSet values`;

interface Ctl {
  out: Writer;
  showKeys: boolean;
  showKeyErrors: boolean;
  quiet: boolean;
  write: boolean;
}

/** Thrown by a failed write: BusyBox dies there (xwrite_str). */
class WriteError {
  constructor(readonly errno: number) {}
}

/** sysctl_dots_to_slashes: "net.ipv4.conf.eth0.100.x" -> the path of an existing file. */
function* dots_to_slashes(name: string): UserGen<string> {
  const eq = name.indexOf("=");
  const key = eq < 0 ? name : name.slice(0, eq);
  const rest = eq < 0 ? "" : name.slice(eq);
  const s = [...key, "."]; // trick the loop into trying the full name too
  const end = key.length;
  let lastGood = -1;
  again: for (;;) {
    for (let i = end; i > lastGood; i--) {
      if (s[i] !== ".") continue;
      const candidate = s.slice(0, i).join("");
      if ((yield* access(candidate, F_OK)) === 0) {
        if (i !== end) s[i] = "/";
        lastGood = i;
        continue again;
      }
    }
    break;
  }
  return s.slice(0, end).join("") + rest;
}

/** sysctl_act_on_setting: read one file, or write "KEY=VALUE". 0 or 1. */
function* act_on_setting(c: Ctl, setting: string): UserGen<number> {
  let outname = [...setting].map((ch) => (ch === "/" ? "." : ch === "." ? "/" : ch)).join("");
  const eq = setting.indexOf("=");
  const writing = c.write || eq >= 0;
  let path = setting;
  let value = "";
  if (writing) {
    if (eq < 0) {
      yield* c.out.flush();
      yield* bb_error_msg("sysctl", `error: '${outname}' must be of the form name=value`);
      return 1;
    }
    value = setting.slice(eq + 1);
    if (eq === 0) {
      yield* c.out.flush();
      yield* bb_error_msg("sysctl", `error: malformed setting '${outname}'`);
      return 1;
    }
    path = setting.slice(0, eq);
    outname = outname.slice(0, eq);
  }
  const fd = writing ? yield* open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666) : yield* open(path, O_RDONLY);
  if (fd < 0) {
    if (fd === -EACCES && !writing) return 0; // write-only, e.g. vm.drop_caches
    yield* c.out.flush();
    if (fd === -ENOENT) {
      if (c.showKeyErrors) yield* bb_error_msg("sysctl", `error: '${outname}' is an unknown key`);
    } else yield* bb_perror_msg("sysctl", `error ${writing ? "sett" : "read"}ing key '${outname}'`, fd);
    return 1;
  }
  if (writing) {
    const r = yield* write_all(fd, enc(value));
    yield* close(fd);
    if (r < 0) throw new WriteError(r);
    if (!c.quiet) yield* c.out.puts(c.showKeys ? `${outname} = ${value}\n` : `${value}\n`);
    return 0;
  }
  const data = yield* read_all(fd);
  yield* close(fd);
  if (typeof data === "number") {
    yield* c.out.flush();
    yield* bb_perror_msg("sysctl", `error reading key '${outname}'`, data);
    return 0;
  }
  // Multi-line values get the key in front of every line.
  for (const line of dec(data).split(/(?<=\n)/)) {
    if (line) yield* c.out.puts(c.showKeys ? `${outname} = ${line}` : line);
  }
  return 0;
}

/** sysctl_act_recursive: a directory (when reading) is walked, a file acted on. */
function* act_recursive(c: Ctl, path: string): UserGen<number> {
  const st = yield* stat(path);
  if (typeof st !== "number" && S_ISDIR(st.st_mode) && !c.write) {
    const ents = yield* read_dir(path);
    if (typeof ents === "number") return 1;
    let r = 0;
    for (const e of ents) {
      if (e.d_name === "." || e.d_name === "..") continue;
      const next = path === "." ? e.d_name : `${path}/${e.d_name}`;
      r |= yield* act_recursive(c, next);
    }
    return r;
  }
  return yield* act_on_setting(c, path);
}

/** sysctl_handle_preload_file: "key = value" lines; '#' and ';' start comments. */
function* preload(c: Ctl, file: string): UserGen<number> {
  const text = yield* read_text(file);
  if (typeof text === "number") {
    yield* bb_perror_msg("sysctl", file, text);
    return 0;
  }
  yield* chdir("/proc/sys");
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line[0] === "#" || line[0] === ";") continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    yield* act_recursive(c, `${yield* dots_to_slashes(key)}=${value}`);
  }
  return 0;
}

function* sysctl_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+neAapwq", USAGE);
  if (!o) return 1;
  const c: Ctl = {
    out: yield* Writer.open(1),
    showKeys: !o.has("n"),
    showKeyErrors: !o.has("e"),
    quiet: o.has("q"),
    write: o.has("w") || o.has("p"),
  };
  let status = 0;
  try {
    if (o.has("p")) status = yield* preload(c, o.rest[0] ?? "/etc/sysctl.conf");
    else {
      if ((yield* chdir("/proc/sys")) < 0) {
        yield* bb_error_msg("sysctl", "can't change directory to '/proc/sys'");
        return 1;
      }
      if (o.has("a") || o.has("A")) status = yield* act_recursive(c, ".");
      else for (const arg of o.rest) status |= yield* act_recursive(c, yield* dots_to_slashes(arg));
    }
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    yield* c.out.flush();
    yield* bb_perror_msg("sysctl", "write error", e.errno);
    return 1;
  }
  yield* c.out.flush();
  return status;
}

export const sysctl: Applet = { name: "sysctl", dir: "/sbin", usage: USAGE, main: sysctl_main };
