/*
 * termios.ts - terminal helpers of libbb (xfuncs.c, read_key.c): the size
 * of a terminal, raw mode for full-screen programs (top, watch's clear),
 * and restoring the saved settings.
 */

import type { Termios, Winsize } from "../../kernel/uapi/abi.js";
import {
  ECHO,
  ICANON,
  ICRNL,
  IEXTEN,
  ISIG,
  IXON,
  TCGETS,
  TCSETS,
  TIOCGWINSZ,
  VMIN,
  VTIME,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { getenv } from "./proc.js";
import { ioctl } from "./sys.js";

/**
 * get_terminal_width_height: TIOCGWINSZ of fd; a size the terminal does not
 * give comes from $COLUMNS / $LINES, else 80x24.
 */
export function* get_terminal_width_height(
  fd: number,
  envp: readonly string[] = [],
): UserGen<[number, number]> {
  const r = yield* ioctl<Winsize>(fd, TIOCGWINSZ);
  const ok = typeof r === "object" && r.ws_row > 0;
  const helper = (v: number, def: number, env: string): number => {
    if (ok && v > 1) return Math.min(v, 32767);
    const s = getenv(envp, env);
    const n = s !== undefined && /^\d+$/.test(s) ? Number(s) : 0;
    return n > 1 ? Math.min(n, 32767) : def;
  };
  const w = typeof r === "object" ? r.ws_col : 0;
  const h = typeof r === "object" ? r.ws_row : 0;
  return [helper(w, 80, "COLUMNS"), helper(h, 24, "LINES")];
}

/** tcgetattr: the terminal settings of fd, or null when fd is not a terminal. */
export function* tcgetattr(fd: number): UserGen<Termios | null> {
  const r = yield* ioctl<Termios>(fd, TCGETS);
  return typeof r === "object" ? r : null;
}

export function* tcsetattr(fd: number, t: Termios): UserGen<number> {
  const r = yield* ioctl(fd, TCSETS, t);
  return typeof r === "number" ? r : 0;
}

/**
 * set_termios_to_raw: no line editing, no echo, one byte at a time; with
 * clearIsig ^C is a byte too (top reads it as a key). Returns the old
 * settings to restore, or null when fd is not a terminal.
 */
export function* set_termios_to_raw(fd: number, clearIsig: boolean): UserGen<Termios | null> {
  const old = yield* tcgetattr(fd);
  if (!old) return null;
  const t: Termios = { ...old, c_cc: [...old.c_cc] };
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  t.c_lflag &= ~(ICANON | ECHO | IEXTEN | (clearIsig ? ISIG : 0));
  t.c_iflag &= ~(IXON | ICRNL);
  yield* tcsetattr(fd, t);
  return old;
}
