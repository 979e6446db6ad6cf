/*
 * read.ts - the read builtin (BusyBox shell/shell_common.c:
 * shell_builtin_read).
 *
 * Reads one line a byte at a time (so whatever follows stays for the next
 * reader of the same descriptor), undoes backslash escapes unless -r, then
 * splits it on $IFS: each name gets one field and the last name gets the
 * rest of the line, without the IFS white space around it.
 */

import { TCGETS } from "../../../kernel/uapi/abi.js";
import { EINTR } from "../../../kernel/uapi/errno.js";
import { POLLIN, type UserGen } from "../../../kernel/uapi/syscalls.js";
import { puts } from "../../libc/stdio.js";
import { ioctl, poll, read } from "../../libc/sys.js";
import type { Builtin } from "../builtins.js";
import { isName } from "../lexer.js";
import { type Shell, sh_error } from "../shell.js";
import { ReadonlyError } from "../vars.js";

interface Ch {
  c: string;
  /** Escaped by a backslash: never a field separator. */
  lit: boolean;
}

/** Splits the line among the names (the last one takes the rest). */
export function splitFields(chars: Ch[], ifs: string, n: number): string[] {
  const isWs = (x: Ch): boolean =>
    !x.lit && (x.c === " " || x.c === "\t" || x.c === "\n") && ifs.includes(x.c);
  const isSep = (x: Ch): boolean => !x.lit && ifs.includes(x.c);
  const out: string[] = [];
  let i = 0;
  while (i < chars.length && isWs(chars[i])) i++;
  for (let v = 0; v < n - 1; v++) {
    let s = "";
    while (i < chars.length && !isSep(chars[i])) s += chars[i++].c;
    out.push(s);
    if (i < chars.length) {
      const wasWs = isWs(chars[i]);
      i++;
      while (i < chars.length && isWs(chars[i])) i++;
      if (wasWs && i < chars.length && isSep(chars[i]) && !isWs(chars[i])) {
        i++;
        while (i < chars.length && isWs(chars[i])) i++;
      }
    }
  }
  // The last name takes the rest of the line; but when the rest is one
  // field and its delimiter ("b:" with IFS=:), BusyBox gives just the field.
  let j = i;
  while (j < chars.length && !isSep(chars[j])) j++;
  let k = j;
  while (k < chars.length && isWs(chars[k])) k++;
  if (k < chars.length && isSep(chars[k]) && !isWs(chars[k])) {
    k++;
    while (k < chars.length && isWs(chars[k])) k++;
  }
  const text = (from: number, to: number): string =>
    chars
      .slice(from, to)
      .map((x) => x.c)
      .join("");
  if (k === chars.length) {
    out.push(text(i, j));
    return out;
  }
  let end = chars.length;
  while (end > i && isWs(chars[end - 1])) end--;
  out.push(text(i, end));
  return out;
}

function* readcmd(sh: Shell, argv: string[]): UserGen<number> {
  let raw = false;
  let prompt = "";
  let timeout = -1;
  let nchars = -1;
  let fd = 0;
  let delim = "\n";
  let i = 1;
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "-"; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === "r") raw = true;
      else if (c === "s") continue;
      else if ("ptnud".includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return yield* sh_error(sh, `option requires an argument -- ${c}`);
        if (c === "p") prompt = v;
        else if (c === "t") timeout = Number(v);
        else if (c === "n") nchars = Number(v);
        else if (c === "u") fd = Number(v);
        else delim = v[0] ?? "\0";
        break;
      } else return yield* sh_error(sh, `illegal option -${c}`);
    }
  }
  const names = argv.slice(i);
  const reply = names.length === 0;
  if (reply) names.push("REPLY");
  for (const n of names)
    if (!isName(n)) {
      yield* puts(2, `${sh.applet}: read: '${n}': bad variable name\n`);
      return 1;
    }
  if (prompt && typeof (yield* ioctl(fd, TCGETS)) !== "number") yield* puts(2, prompt);
  if (timeout === 0) {
    // -t 0: only whether there is something to read
    const fds = [{ fd, events: POLLIN, revents: 0 }];
    return (yield* poll(fds, 0)) > 0 ? 0 : 1;
  }
  const chars: Ch[] = [];
  let status = 0;
  const bytes: number[] = [];
  // shell_builtin_read counts every byte it reads against -n, the backslashes of escapes
  // included (-n 0 is no limit); an escaped delimiter or character is taken literally.
  let left = nchars > 0 ? nchars : -1;
  let backslash = false;
  while (left !== 0) {
    if (timeout >= 0) {
      const fds = [{ fd, events: POLLIN, revents: 0 }];
      const r = yield* poll(fds, Math.round(timeout * 1000));
      if (r === 0) {
        status = 142;
        break;
      }
    }
    const r = yield* read(fd, 1);
    if (typeof r === "number") {
      if (r === -EINTR && sh.pending.length) {
        status = 128 + sh.pending[0];
        break;
      }
      if (r === -EINTR) continue;
      status = 1;
      break;
    }
    if (r.length === 0) {
      status = 1;
      break;
    }
    if (left > 0) left--;
    // collect UTF-8 bytes into characters
    bytes.push(r[0]);
    if (r[0] >= 0x80 && left !== 0) {
      const lead = bytes[0];
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (bytes.length < need) continue;
    }
    const c = new TextDecoder().decode(new Uint8Array(bytes));
    bytes.length = 0;
    if (!raw) {
      if (backslash) {
        backslash = false;
        if (c !== "\n") chars.push({ c, lit: true });
        continue;
      }
      if (c === "\\") {
        backslash = true;
        continue;
      }
    }
    if (c === delim) break;
    chars.push({ c, lit: false });
  }
  const ifs = sh.vars.get("IFS") ?? " \t\n";
  // REPLY gets the line as it is, white space and all
  const fields = reply ? [chars.map((x) => x.c).join("")] : splitFields(chars, ifs, names.length);
  for (let k = 0; k < names.length; k++)
    try {
      sh.vars.set(names[k], fields[k] ?? "");
    } catch (e) {
      if (e instanceof ReadonlyError) return yield* sh_error(sh, `${names[k]}: is read only`);
      throw e;
    }
  return status;
}

export const readBuiltins: Builtin[] = [{ name: "read", special: false, fn: readcmd }];
