/*
 * tty.ts - the console: a serial tty with the n_tty line discipline (Linux
 * drivers/tty/tty_io.c, n_tty.c, tty_jobctrl.c, serial core).
 *
 * Bytes typed at the machine's console arrive through tty_receive. In
 * canonical mode (ICANON) the line discipline edits the line (erase, kill,
 * word erase), echoes it, and hands complete lines to readers; ^C, ^\ and ^Z
 * become SIGINT, SIGQUIT and SIGTSTP for the foreground process group (ISIG).
 * Raw mode (what the shell's line editor uses) hands bytes over as they come.
 * Output goes through OPOST/ONLCR ("\n" becomes "\r\n") to the UART, which is
 * the front end's screen or pipe.
 *
 * Job control: a background process group reading its controlling terminal
 * gets SIGTTIN; the foreground group is set with TIOCSPGRP.
 */

import type { File, FileOperations } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { signal_pending, sleep_on, wake_up } from "../sched/core.js";
import { kill_pgrp } from "../sched/signal.js";
import type { Task } from "../sched/task.js";
import { WaitQueue } from "../sched/task.js";
import { INIT_WORK, queue_work, system_unbound_wq } from "../sched/workqueue.js";
import {
  ECHO,
  ECHOCTL,
  ECHOE,
  ECHOK,
  ECHOKE,
  FIONREAD,
  ICANON,
  ICRNL,
  IEXTEN,
  IGNCR,
  INLCR,
  ISIG,
  IXON,
  MMBOX_TIOCGTRANSCRIPT,
  ONLCR,
  OPOST,
  SIG_IGN,
  SIGINT,
  SIGQUIT,
  SIGTSTP,
  SIGTTIN,
  SIGWINCH,
  TCGETS,
  TCSETS,
  TCSETSF,
  TCSETSW,
  type Termios,
  TIOCGPGRP,
  TIOCGWINSZ,
  TIOCNOTTY,
  TIOCSCTTY,
  TIOCSPGRP,
  TIOCSWINSZ,
  VEOF,
  VERASE,
  VINTR,
  VKILL,
  VMIN,
  VQUIT,
  VSUSP,
  VWERASE,
  type Winsize,
} from "../uapi/abi.js";
import { EINTR, EINVAL, EIO, ENOTTY, EPERM, ERESTARTSYS } from "../uapi/errno.js";
import { POLLIN, POLLOUT } from "../uapi/syscalls.js";
import type { UartPort } from "./serial.js";

/**
 * tty_std_termios (drivers/tty/tty_io.c) with INIT_C_CC, as a serial
 * console leaves it: uart_set_options gives "console=ttyAMA0,115200" its
 * speed and CREAD | HUPCL | CLOCAL.
 */
export function default_termios(): Termios {
  // INIT_C_CC: ^C ^\ ^? ^U ^D, time 0, min 1, swtch 0, ^Q ^S ^Z, eol 0, ^R ^O ^W ^V, eol2 0
  const cc = [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0];
  return {
    c_iflag: ICRNL | IXON,
    c_oflag: OPOST | ONLCR,
    c_cflag: 0o16262, // B115200 (CBAUDEX | 2) | CS8 | CREAD | HUPCL | CLOCAL
    c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    c_cc: cc,
  };
}

export class TtyStruct {
  readonly name: string;
  termios: Termios = default_termios();
  winsize: Winsize = { ws_row: 24, ws_col: 80 };
  /** Foreground process group and session (0: none). */
  pgrp = 0;
  session = 0;
  /** Input ready for readers (a completed line in canonical mode). */
  read_buf: number[] = [];
  /** The line being edited (canonical mode). */
  line: number[] = [];
  /** End-of-file markers (^D on an empty line) not yet consumed. */
  eof = 0;
  read_wait = new WaitQueue();
  /** Plain mode without --echo: the shell prints no prompt (MMBOX_TIOCGTRANSCRIPT). */
  transcript = false;
  /** The UART: where output bytes go (latin1 string of bytes). */
  out: (bytes: string) => void = () => {};
  /** The UART's interrupts (drivers/serial.ts), once its driver has bound. */
  port: UartPort | null = null;
  constructor(name: string) {
    this.name = name;
  }
}

/** Writes bytes to the screen, applying OPOST/ONLCR. */
export function tty_output(tty: TtyStruct, bytes: Uint8Array | string): void {
  let s = typeof bytes === "string" ? bytes : latin1(bytes);
  if (tty.termios.c_oflag & OPOST && tty.termios.c_oflag & ONLCR) s = s.replace(/\r?\n/g, "\r\n");
  if (!s) return;
  tty.port?.transmit(s.length);
  tty.out(s);
}

export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function echo_char(tty: TtyStruct, c: number): void {
  const l = tty.termios.c_lflag;
  if (!(l & ECHO)) return;
  if (c === 10) tty_output(tty, "\n");
  else if (c < 32 && c !== 9 && l & ECHOCTL) tty_output(tty, `^${String.fromCharCode(c + 64)}`);
  else if (c === 0x7f && l & ECHOCTL) tty_output(tty, "^?");
  else tty_output(tty, String.fromCharCode(c));
}

function erase_chars(tty: TtyStruct, n: number): void {
  if (tty.termios.c_lflag & ECHO && tty.termios.c_lflag & ECHOE) tty_output(tty, "\b \b".repeat(n));
}

/**
 * The UART's receive interrupt: the bytes from the keyboard (the front end)
 * go to the flip buffer, and tty_flip_buffer_push queues flush_to_ldisc on
 * system_unbound_wq, which hands them to the line discipline.
 */
export function tty_receive(k: Kernel, tty: TtyStruct, data: string): void {
  tty.port?.receive(data.length);
  queue_work(
    k,
    system_unbound_wq,
    INIT_WORK(function flush_to_ldisc() {
      n_tty_receive_buf(k, tty, data);
    }),
  );
}

/** n_tty_receive_buf: the line discipline takes the bytes. */
function n_tty_receive_buf(k: Kernel, tty: TtyStruct, data: string): void {
  const t = tty.termios;
  for (let i = 0; i < data.length; i++) {
    let c = data.charCodeAt(i) & 0xff;
    if (c === 13) {
      if (t.c_iflag & IGNCR) continue;
      if (t.c_iflag & ICRNL) c = 10;
    } else if (c === 10 && t.c_iflag & INLCR) c = 13;
    if (t.c_lflag & ISIG) {
      const sig =
        c === t.c_cc[VINTR] ? SIGINT : c === t.c_cc[VQUIT] ? SIGQUIT : c === t.c_cc[VSUSP] ? SIGTSTP : 0;
      if (sig) {
        tty.line = [];
        tty.read_buf = [];
        echo_char(tty, c);
        if (tty.pgrp) kill_pgrp(k, tty.pgrp, sig);
        continue;
      }
    }
    if (!(t.c_lflag & ICANON)) {
      tty.read_buf.push(c);
      echo_char(tty, c);
      continue;
    }
    if (c === t.c_cc[VERASE] || c === 8) {
      if (tty.line.length) {
        tty.line.pop();
        erase_chars(tty, 1);
      }
      continue;
    }
    if (c === t.c_cc[VKILL]) {
      erase_chars(tty, tty.line.length);
      tty.line = [];
      continue;
    }
    if (c === t.c_cc[VWERASE] && t.c_lflag & IEXTEN) {
      const before = tty.line.length;
      while (tty.line.length && tty.line[tty.line.length - 1] === 32) tty.line.pop();
      while (tty.line.length && tty.line[tty.line.length - 1] !== 32) tty.line.pop();
      erase_chars(tty, before - tty.line.length);
      continue;
    }
    if (c === t.c_cc[VEOF]) {
      if (tty.line.length === 0) tty.eof++;
      tty.read_buf.push(...tty.line);
      tty.line = [];
      continue;
    }
    tty.line.push(c);
    echo_char(tty, c);
    if (c === 10) {
      tty.read_buf.push(...tty.line);
      tty.line = [];
    }
  }
  wake_up(k, tty.read_wait);
  wake_up(k, k.poll_wait);
}

/** Bytes a reader may take now (0 at end of file), or -1 when it must wait. */
function readable(tty: TtyStruct): number {
  if (tty.termios.c_lflag & ICANON) {
    const nl = tty.read_buf.indexOf(10);
    if (nl >= 0) return nl + 1;
    return tty.eof || tty.read_buf.length ? (tty.eof ? tty.read_buf.length : -1) : -1;
  }
  const vmin = tty.termios.c_cc[VMIN];
  if (tty.read_buf.length >= Math.max(1, vmin)) return tty.read_buf.length;
  if (vmin === 0) return tty.read_buf.length;
  return -1;
}

/**
 * Job control on read (__tty_check_change): a background group gets
 * SIGTTIN and the read restarts once the group is continued
 * (-ERESTARTSYS); one that ignores or blocks SIGTTIN gets EIO.
 */
function tty_check_change(k: Kernel, tty: TtyStruct, t: Task): number {
  if (t.signal.tty !== tty || !tty.pgrp || t.signal.pgrp === tty.pgrp) return 0;
  if (t.signal.action[SIGTTIN] === SIG_IGN || t.signal.blocked.has(SIGTTIN)) return -EIO;
  kill_pgrp(k, t.signal.pgrp, SIGTTIN);
  return -ERESTARTSYS;
}

function n_tty_read(k: Kernel, f: File, count: number, t: Task) {
  const tty = f.private_data as TtyStruct;
  const bg = tty_check_change(k, tty, t);
  if (bg) return bg;
  const n = readable(tty);
  if (n < 0) {
    if (f.f_flags & 0o4000) return -11; // EAGAIN
    if (signal_pending(t)) return -EINTR;
    return sleep_on(k, t, tty.read_wait, true);
  }
  // A line cut short by ^D is returned as is; ^D on an empty line reads as end of file.
  const hasNewline = tty.read_buf.indexOf(10) >= 0;
  const take = Math.min(n, count);
  const out = new Uint8Array(tty.read_buf.splice(0, take));
  if (tty.termios.c_lflag & ICANON && !hasNewline && tty.eof && tty.read_buf.length === 0) tty.eof--;
  return out;
}

function tty_write(k: Kernel, f: File, data: Uint8Array): number {
  const tty = f.private_data as TtyStruct;
  tty_output(tty, data);
  // The UART moves about 11.5 KB/s at 115200 baud; the model machine's console is a fast one.
  const t = k.sched.current;
  if (t) t.cost += data.length * 10;
  return data.length;
}

function tty_ioctl(k: Kernel, f: File, req: number, arg: unknown, t: Task): unknown {
  const tty = f.private_data as TtyStruct;
  switch (req) {
    case TCGETS:
      return { ...tty.termios, c_cc: [...tty.termios.c_cc] };
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
      const a = arg as Termios | undefined;
      if (!a || typeof a !== "object") return -EINVAL;
      tty.termios = { ...a, c_cc: [...a.c_cc] };
      if (req === TCSETSF) {
        tty.read_buf = [];
        tty.line = [];
      }
      wake_up(k, tty.read_wait);
      return 0;
    }
    case TIOCGPGRP:
      return tty.pgrp;
    case TIOCSPGRP: {
      const pg = Number(arg);
      if (t.signal.tty !== tty) return -ENOTTY;
      if (!Number.isInteger(pg) || pg <= 0) return -EINVAL;
      tty.pgrp = pg;
      return 0;
    }
    case TIOCGWINSZ:
      return { ...tty.winsize };
    case TIOCSWINSZ: {
      const w = arg as Winsize;
      tty.winsize = { ws_row: w.ws_row, ws_col: w.ws_col };
      if (tty.pgrp) kill_pgrp(k, tty.pgrp, SIGWINCH);
      return 0;
    }
    case TIOCSCTTY:
      if (t.signal.session !== t.pid) return -EPERM;
      if (tty.session && tty.session !== t.signal.session) {
        // the controlling tty of another session: root may steal it with arg 1 (session_clear_tty)
        if (Number(arg) !== 1) return -EPERM;
        for (const p of k.sched.tasks.values())
          if (p.signal.session === tty.session && p.signal.tty === tty) p.signal.tty = null;
      }
      t.signal.tty = tty;
      tty.session = t.signal.session;
      tty.pgrp = t.signal.pgrp;
      return 0;
    case TIOCNOTTY:
      if (t.signal.tty !== tty) return -ENOTTY;
      t.signal.tty = null;
      return 0;
    case FIONREAD:
      return tty.read_buf.length;
    case MMBOX_TIOCGTRANSCRIPT:
      return tty.transcript ? 1 : 0;
  }
  return -ENOTTY;
}

/** The fops behind /dev/console, /dev/ttyAMA0 (or ttyS0) and /dev/tty. */
export function tty_fops(tty: TtyStruct, controlling = false, noctty = false): FileOperations {
  return {
    open(_k, f, t) {
      const target = controlling ? (t.signal.tty as TtyStruct | null) : tty;
      if (!target) return -6; // ENXIO: no controlling terminal
      f.private_data = target;
      target.port?.startup();
      // The first tty a session leader opens becomes its controlling terminal.
      if (
        !controlling &&
        !noctty &&
        t.signal.session === t.pid &&
        !t.signal.tty &&
        !(f.f_flags & 0o400) &&
        !target.session
      ) {
        t.signal.tty = target;
        target.session = t.pid;
        target.pgrp = t.signal.pgrp;
      }
      return 0;
    },
    read: n_tty_read,
    write: tty_write,
    ioctl: tty_ioctl,
    poll(_k, f) {
      const tt = f.private_data as TtyStruct;
      return (readable(tt) >= 0 && (readable(tt) > 0 || tt.eof) ? POLLIN : 0) | POLLOUT;
    },
  };
}
