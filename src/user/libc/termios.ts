/*
 * termios.ts - terminal helpers of libbb (xfuncs.c, read_key.c): the size
 * of a terminal, raw mode for full-screen programs (top, watch's clear),
 * and restoring the saved settings.
 *
 * Two raw modes: set_termios_to_raw() is the one top and slabtop use
 * (line editing, echo, IEXTEN, XON/XOFF and CR->NL all off); termios_raw()
 * is libbb's get_termios_and_make_raw() with its TERMIOS_* flags, whose
 * flags 0 (more) only stop line editing and echo.
 */

import type { Termios, Winsize } from "../../kernel/uapi/abi.js";
import {
  ECHO,
  ECHONL,
  ICANON,
  ICRNL,
  IEXTEN,
  ISIG,
  IXON,
  ONLCR,
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

/* The flags of libbb's set_termios_to_raw (include/libbb.h). */
/** ^C, ^\ and ^Z are bytes, not signals (ISIG off). */
export const TERMIOS_CLEAR_ISIG = 1 << 0;
/** No XON/XOFF, CR stays CR on input (IXON, ICRNL off). */
export const TERMIOS_RAW_CRNL_INPUT = 1 << 1;
/** NL stays NL on output (ONLCR off). */
export const TERMIOS_RAW_CRNL_OUTPUT = 1 << 2;

/**
 * termios_raw: libbb's set_termios_to_raw(fd, &old, flags). Always off:
 * ICANON, ECHO, ECHONL; reads wait for one byte (VMIN 1, VTIME 0); the
 * TERMIOS_* flags each turn off more of the terminal's processing.
 * Returns the old settings to restore, or null when fd is not a terminal.
 */
export function* termios_raw(fd: number, flags: number): UserGen<Termios | null> {
  const old = yield* tcgetattr(fd);
  if (!old) return null;
  const t: Termios = { ...old, c_cc: [...old.c_cc] };
  t.c_lflag &= ~(ICANON | ECHO | ECHONL);
  if (flags & TERMIOS_CLEAR_ISIG) t.c_lflag &= ~ISIG;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (flags & TERMIOS_RAW_CRNL_INPUT) t.c_iflag &= ~(IXON | ICRNL);
  if (flags & TERMIOS_RAW_CRNL_OUTPUT) t.c_oflag &= ~ONLCR;
  yield* tcsetattr(fd, t);
  return old;
}
