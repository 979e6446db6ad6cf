/*
 * echo.ts - echo (coreutils/echo.c, FEATURE_FANCY_ECHO): print the
 * arguments separated by spaces. -n drops the newline, -e interprets
 * backslash escapes (\c stops all output); -E is accepted but does not
 * undo an -e (1.35's echo only ever sets the flag). Only
 * arguments made of n, e and E letters are options; "--" is printed.
 * The shell has its own builtin echo; this is /bin/echo.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { process_escape } from "../libc/libbb.js";
import { enc, strerror, write_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

/** The bytes of `s` with echo -e's escapes applied; stop is true after \c. */
export function echo_escapes(s: string): { bytes: number[]; stop: boolean } {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      const cp = s.codePointAt(i)!;
      for (const b of enc(String.fromCodePoint(cp))) bytes.push(b);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (s[i + 1] === "c") return { bytes, stop: true };
    let j = i + 1;
    if (s[j] === "0" && s[j + 1] >= "0" && s[j + 1] <= "7") j++;
    const [code, next] = process_escape(s, j);
    bytes.push(code);
    i = next;
  }
  return { bytes, stop: false };
}

function* echo_main(argv: string[]): UserGen<number> {
  let i = 1;
  let nl = true;
  let esc = false;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    for (const c of argv[i].slice(1)) {
      if (c === "n") nl = false;
      // 1.35's echo: -E is taken as an option but never undoes an -e.
      else if (c === "e") esc = true;
    }
  }
  const bytes: number[] = [];
  for (let k = i; k < argv.length; k++) {
    if (k > i) bytes.push(32);
    if (esc) {
      const r = echo_escapes(argv[k]);
      bytes.push(...r.bytes);
      if (r.stop) {
        nl = false;
        break;
      }
    } else bytes.push(...enc(argv[k]));
  }
  if (nl) bytes.push(10);
  const r = yield* write_all(1, Uint8Array.from(bytes));
  if (r < 0) {
    yield* write_all(2, enc(`echo: write error: ${strerror(r)}\n`));
    return 1;
  }
  return 0;
}

export const echo: Applet = { name: "echo", dir: "/bin", main: echo_main };
