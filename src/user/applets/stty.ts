/*
 * stty.ts - stty and reset (coreutils/stty.c, console-tools/reset.c): show
 * or change a terminal's termios through TCGETS/TCSETS and its size through
 * TIOCGWINSZ/TIOCSWINSZ.
 *
 *   stty          speed, line, the control characters, then the flags that
 *                 differ from "stty sane"
 *   stty -a       every flag ("-flag" when clear), rows and columns too
 *   stty -g       iflag:oflag:cflag:lflag:cc[0]:...:cc[31] in hex (glibc's
 *                 NCCS of 32; the kernel keeps 19)
 *   stty SETTING  flags, "-flag", combinations (sane, raw, cooked, cbreak,
 *                 evenp, oddp, nl, ek, pass8, litout, crt, dec), control
 *                 characters ("intr ^C", "^-" or "undef" to disable), rows,
 *                 cols, size, speed, min, time, line, or a baud rate
 *
 * Output wraps at the terminal's width as BusyBox's wrapf does. The flag
 * values are Linux's (asm-generic/termbits.h), the table and its order
 * BusyBox's mode_info.
 *
 * reset prints the console's reset sequence and does "stty sane" when
 * stdin and stdout are terminals.
 */

import {
  O_NONBLOCK,
  O_RDONLY,
  TCGETS,
  TCSETS,
  type Termios,
  TIOCGWINSZ,
  TIOCSWINSZ,
  type Winsize,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { puts, strerror } from "../libc/stdio.js";
import { isatty } from "../libc/stream.js";
import { ioctl, open } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `stty [-a|g] [-F DEVICE] [SETTING]...

Without arguments, prints baud rate, line discipline,
and deviations from stty sane

\t-F DEVICE\tOpen device instead of stdin
\t-a\t\tPrint all current settings in human-readable form
\t-g\t\tPrint in stty-readable form
\t[SETTING]\tSee manpage`;

const RESET_USAGE = `reset

Reset the screen`;

/* flag words (mode_info's type) */
const CONTROL = 0;
const INPUT = 1;
const OUTPUT = 2;
const LOCAL = 3;
const COMBINATION = 4;

/* mode_info flags */
const SANE_SET = 1;
const SANE_UNSET = 2;
const REV = 4;
const OMIT = 8;

const CSIZE = 0o60;
const CBAUD = 0o10017;
const PARENB = 0o400;
const PARODD = 0o1000;
const CS7 = 0o40;
const CS8 = 0o60;
const ISTRIP = 0o40;
const ICRNL = 0o400;
const INLCR = 0o100;
const IGNCR = 0o200;
const IXANY = 0o4000;
const OPOST = 0o1;
const ONLCR = 0o4;
const OCRNL = 0o10;
const ONLRET = 0o40;
const ISIG = 0o1;
const ICANON = 0o2;
const XCASE = 0o4;
const ECHOE = 0o20;
const ECHOCTL = 0o1000;
const ECHOKE = 0o4000;
const VMIN = 6;
const VTIME = 5;
const NCCS = 32;

/** BusyBox's mode_info: name, word, flags, bits, mask (0: the bits themselves). */
const MODES: [string, number, number, number, number][] = [
  ["evenp", CONTROL, REV | OMIT, 0, 0],
  ["parity", CONTROL, REV | OMIT, 0, 0],
  ["oddp", CONTROL, REV | OMIT, 0, 0],
  ["nl", COMBINATION, REV | OMIT, 0, 0],
  ["ek", COMBINATION, OMIT, 0, 0],
  ["sane", COMBINATION, OMIT, 0, 0],
  ["cooked", COMBINATION, REV | OMIT, 0, 0],
  ["raw", COMBINATION, REV | OMIT, 0, 0],
  ["pass8", COMBINATION, REV | OMIT, 0, 0],
  ["litout", COMBINATION, REV | OMIT, 0, 0],
  ["cbreak", COMBINATION, REV | OMIT, 0, 0],
  ["crt", COMBINATION, OMIT, 0, 0],
  ["dec", COMBINATION, OMIT, 0, 0],
  ["parenb", CONTROL, REV, PARENB, 0],
  ["parodd", CONTROL, REV, PARODD, 0],
  ["cmspar", CONTROL, REV, 0o10000000000, 0],
  ["cs5", CONTROL, 0, 0, CSIZE],
  ["cs6", CONTROL, 0, 0o20, CSIZE],
  ["cs7", CONTROL, 0, CS7, CSIZE],
  ["cs8", CONTROL, 0, CS8, CSIZE],
  ["hupcl", CONTROL, REV, 0o2000, 0],
  ["hup", CONTROL, REV | OMIT, 0o2000, 0],
  ["cstopb", CONTROL, REV, 0o100, 0],
  ["cread", CONTROL, SANE_SET | REV, 0o200, 0],
  ["clocal", CONTROL, REV, 0o4000, 0],
  ["crtscts", CONTROL, REV, 0o20000000000, 0],
  ["ignbrk", INPUT, SANE_UNSET | REV, 0o1, 0],
  ["brkint", INPUT, SANE_SET | REV, 0o2, 0],
  ["ignpar", INPUT, REV, 0o4, 0],
  ["parmrk", INPUT, REV, 0o10, 0],
  ["inpck", INPUT, REV, 0o20, 0],
  ["istrip", INPUT, REV, ISTRIP, 0],
  ["inlcr", INPUT, SANE_UNSET | REV, INLCR, 0],
  ["igncr", INPUT, SANE_UNSET | REV, IGNCR, 0],
  ["icrnl", INPUT, SANE_SET | REV, ICRNL, 0],
  ["ixon", INPUT, REV, 0o2000, 0],
  ["ixoff", INPUT, SANE_UNSET | REV, 0o10000, 0],
  ["tandem", INPUT, REV | OMIT, 0o10000, 0],
  ["iuclc", INPUT, SANE_UNSET | REV, 0o1000, 0],
  ["ixany", INPUT, SANE_UNSET | REV, IXANY, 0],
  ["imaxbel", INPUT, SANE_SET | REV, 0o20000, 0],
  ["iutf8", INPUT, SANE_UNSET | REV, 0o40000, 0],
  ["opost", OUTPUT, SANE_SET | REV, OPOST, 0],
  ["olcuc", OUTPUT, SANE_UNSET | REV, 0o2, 0],
  ["ocrnl", OUTPUT, SANE_UNSET | REV, OCRNL, 0],
  ["onlcr", OUTPUT, SANE_SET | REV, ONLCR, 0],
  ["onocr", OUTPUT, SANE_UNSET | REV, 0o20, 0],
  ["onlret", OUTPUT, SANE_UNSET | REV, ONLRET, 0],
  ["ofill", OUTPUT, SANE_UNSET | REV, 0o100, 0],
  ["ofdel", OUTPUT, SANE_UNSET | REV, 0o200, 0],
  ["nl1", OUTPUT, SANE_UNSET, 0o400, 0o400],
  ["nl0", OUTPUT, SANE_SET, 0, 0o400],
  ["cr3", OUTPUT, SANE_UNSET, 0o3000, 0o3000],
  ["cr2", OUTPUT, SANE_UNSET, 0o2000, 0o3000],
  ["cr1", OUTPUT, SANE_UNSET, 0o1000, 0o3000],
  ["cr0", OUTPUT, SANE_SET, 0, 0o3000],
  ["tab3", OUTPUT, SANE_UNSET, 0o14000, 0o14000],
  ["tab2", OUTPUT, SANE_UNSET, 0o10000, 0o14000],
  ["tab1", OUTPUT, SANE_UNSET, 0o4000, 0o14000],
  ["tab0", OUTPUT, SANE_SET, 0, 0o14000],
  ["bs1", OUTPUT, SANE_UNSET, 0o20000, 0o20000],
  ["bs0", OUTPUT, SANE_SET, 0, 0o20000],
  ["vt1", OUTPUT, SANE_UNSET, 0o40000, 0o40000],
  ["vt0", OUTPUT, SANE_SET, 0, 0o40000],
  ["ff1", OUTPUT, SANE_UNSET, 0o100000, 0o100000],
  ["ff0", OUTPUT, SANE_SET, 0, 0o100000],
  ["isig", LOCAL, SANE_SET | REV, ISIG, 0],
  ["icanon", LOCAL, SANE_SET | REV, ICANON, 0],
  ["iexten", LOCAL, SANE_SET | REV, 0o100000, 0],
  ["echo", LOCAL, SANE_SET | REV, 0o10, 0],
  ["echoe", LOCAL, SANE_SET | REV, ECHOE, 0],
  ["crterase", LOCAL, REV | OMIT, ECHOE, 0],
  ["echok", LOCAL, SANE_SET | REV, 0o40, 0],
  ["echonl", LOCAL, SANE_UNSET | REV, 0o100, 0],
  ["noflsh", LOCAL, SANE_UNSET | REV, 0o200, 0],
  ["xcase", LOCAL, SANE_UNSET | REV, XCASE, 0],
  ["tostop", LOCAL, SANE_UNSET | REV, 0o400, 0],
  ["echoprt", LOCAL, SANE_UNSET | REV, 0o2000, 0],
  ["prterase", LOCAL, REV | OMIT, 0o2000, 0],
  ["echoctl", LOCAL, SANE_SET | REV, ECHOCTL, 0],
  ["ctlecho", LOCAL, REV | OMIT, ECHOCTL, 0],
  ["echoke", LOCAL, SANE_SET | REV, ECHOKE, 0],
  ["crtkill", LOCAL, REV | OMIT, ECHOKE, 0],
  ["flusho", LOCAL, SANE_UNSET | REV, 0o10000, 0],
  ["extproc", LOCAL, SANE_UNSET | REV, 0o200000, 0],
];

/** control_info: name, sane value, c_cc index (min and time last). */
const CONTROLS: [string, number, number][] = [
  ["intr", 3, 0],
  ["quit", 28, 1],
  ["erase", 127, 2],
  ["kill", 21, 3],
  ["eof", 4, 4],
  ["eol", 0, 11],
  ["eol2", 0, 16],
  ["swtch", 0, 7],
  ["start", 17, 8],
  ["stop", 19, 9],
  ["susp", 26, 10],
  ["rprnt", 18, 12],
  ["werase", 23, 14],
  ["lnext", 22, 15],
  ["flush", 15, 13],
  ["min", 1, VMIN],
  ["time", 0, VTIME],
];

const BAUDS = [
  0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400,
  460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
];
/** The B* code of BAUDS[i]: B0..B38400 are 0..15, then CBAUDEX|1.. */
const baudCode = (i: number): number => (i < 16 ? i : 0o10000 | (i - 15));
const baudValue = (cflag: number): number => {
  const c = cflag & CBAUD;
  return BAUDS[c & 0o10000 ? 15 + (c & 0o17) : c] ?? 0;
};

type Word = "c_cflag" | "c_iflag" | "c_oflag" | "c_lflag";
const WORDS: Word[] = ["c_cflag", "c_iflag", "c_oflag", "c_lflag"];

class Out {
  s = "";
  col = 0;
  constructor(readonly max: number) {}
  /** wrapf: a space between items, a newline instead when the line would reach max. */
  wrapf(msg: string): void {
    if (!msg) return;
    if (this.col > 0) {
      this.col++;
      if (msg[0] !== "\n") {
        if (this.col + msg.length >= this.max) {
          this.col = 0;
          this.s += "\n";
        } else this.s += " ";
      }
    }
    this.s += msg;
    this.col += msg.length;
    if (msg.endsWith("\n")) this.col = 0;
  }
  newline(): void {
    if (this.col !== 0) {
      this.s += "\n";
      this.col = 0;
    }
  }
}

function visible(ch: number): string {
  if (ch === 0) return "<undef>";
  let s = "";
  if (ch >= 128) {
    ch -= 128;
    s = "M-";
  }
  if (ch < 32) return `${s}^${String.fromCharCode(ch + 64)}`;
  if (ch < 127) return s + String.fromCharCode(ch);
  return `${s}^?`;
}

/** do_display: all (-a) or only what differs from sane. */
function display(t: Termios, ws: Winsize | null, all: boolean, max: number): string {
  const o = new Out(max);
  o.wrapf(`speed ${baudValue(t.c_cflag)} baud;`);
  if (all && ws) o.wrapf(`rows ${ws.ws_row}; columns ${ws.ws_col};`);
  o.wrapf("line = 0;\n");
  for (const [name, , idx] of CONTROLS.slice(0, -2)) o.wrapf(`${name} = ${visible(t.c_cc[idx] ?? 0)};`);
  o.wrapf(`min = ${t.c_cc[VMIN] ?? 0}; time = ${t.c_cc[VTIME] ?? 0};`);
  o.newline();
  let prev = CONTROL;
  for (const [name, type, flags, bits, mask0] of MODES) {
    if (flags & OMIT) continue;
    if (type !== prev) {
      o.newline();
      prev = type;
    }
    const word = t[WORDS[type]!];
    const mask = mask0 || bits;
    if ((word & mask) === bits) {
      if (all || flags & SANE_UNSET) o.wrapf(name);
    } else if ((all && flags & REV) || (!all && (flags & (SANE_SET | REV)) === (SANE_SET | REV)))
      o.wrapf(`-${name}`);
  }
  o.newline();
  return o.s;
}

function sane(t: Termios): void {
  for (const [, val, idx] of CONTROLS) t.c_cc[idx] = val;
  for (const [, type, flags, bits, mask] of MODES) {
    if (type === COMBINATION) continue;
    const w = WORDS[type]!;
    const val = t[w] & ~mask;
    if (flags & SANE_SET) t[w] = (val | bits) >>> 0;
    else if (flags & SANE_UNSET) t[w] = (val & ~bits) >>> 0;
  }
}

/** set_mode: a flag or a combination; false if the name is none. */
function setMode(t: Termios, name: string, reversed: boolean): boolean {
  const m = MODES.find((x) => x[0] === name);
  if (!m) return false;
  const [, type, flags, bits, mask] = m;
  if (reversed && !(flags & REV)) return false;
  if (type !== COMBINATION && !(name === "evenp" || name === "parity" || name === "oddp")) {
    const w = WORDS[type]!;
    t[w] = reversed ? (t[w] & ~mask & ~bits) >>> 0 : ((t[w] & ~mask) | bits) >>> 0;
    return true;
  }
  switch (name) {
    case "evenp":
    case "parity":
      t.c_cflag = reversed
        ? (t.c_cflag & ~PARENB & ~CSIZE) | CS8
        : (t.c_cflag & ~PARODD & ~CSIZE) | PARENB | CS7;
      break;
    case "oddp":
      t.c_cflag = reversed
        ? (t.c_cflag & ~PARENB & ~CSIZE) | CS8
        : (t.c_cflag & ~CSIZE) | CS7 | PARODD | PARENB;
      break;
    case "nl":
      if (reversed) {
        t.c_iflag = (t.c_iflag | ICRNL) & ~INLCR & ~IGNCR;
        t.c_oflag = (t.c_oflag | ONLCR) & ~OCRNL & ~ONLRET;
      } else {
        t.c_iflag &= ~ICRNL;
        t.c_oflag &= ~ONLCR;
      }
      break;
    case "ek":
      t.c_cc[2] = 127;
      t.c_cc[3] = 21;
      break;
    case "sane":
      sane(t);
      break;
    case "cooked":
    case "raw":
      if ((name === "raw" && reversed) || (name === "cooked" && !reversed)) {
        t.c_iflag |= 0o2 | 0o4 | ISTRIP | ICRNL | 0o2000;
        t.c_oflag |= OPOST;
        t.c_lflag |= ISIG | ICANON;
      } else {
        t.c_iflag = 0;
        t.c_oflag &= ~OPOST;
        t.c_lflag &= ~(ISIG | ICANON | XCASE);
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
      }
      break;
    case "pass8":
    case "litout":
      if (reversed) {
        t.c_cflag = (t.c_cflag & ~CSIZE) | CS7 | PARENB;
        t.c_iflag |= ISTRIP;
        if (name === "litout") t.c_oflag |= OPOST;
      } else {
        t.c_cflag = (t.c_cflag & ~PARENB & ~CSIZE) | CS8;
        t.c_iflag &= ~ISTRIP;
        if (name === "litout") t.c_oflag &= ~OPOST;
      }
      break;
    case "cbreak":
      if (reversed) t.c_lflag |= ICANON;
      else t.c_lflag &= ~ICANON;
      break;
    case "crt":
      t.c_lflag |= ECHOE | ECHOCTL | ECHOKE;
      break;
    case "dec":
      t.c_cc[0] = 3;
      t.c_cc[2] = 127;
      t.c_cc[3] = 21;
      t.c_lflag |= ECHOE | ECHOCTL | ECHOKE;
      t.c_iflag &= ~IXANY;
      break;
  }
  t.c_cflag >>>= 0;
  t.c_iflag >>>= 0;
  t.c_oflag >>>= 0;
  t.c_lflag >>>= 0;
  return true;
}

class SttyError extends Error {}

/** xatou: a whole unsigned decimal number, or "invalid number". */
function xatou(s: string, max = 0xffffffff): number {
  if (!/^\d+$/.test(s) || Number(s) > max) throw new SttyError(`invalid number '${s}'`);
  return Number(s);
}

/** A control character value: ^X, ^?, ^- / undef (disabled), or one character. */
function ccValue(arg: string, name: string): number {
  if (name === "min" || name === "time") return xatou(arg, 255);
  if (arg === "^-" || arg === "undef") return 0;
  if (arg.length === 2 && arg[0] === "^") return arg[1] === "?" ? 127 : arg.charCodeAt(1) & 0x1f;
  if (arg.length === 1) return arg.charCodeAt(0);
  return xatou(arg, 255);
}

/**
 * stty_main's own argument walk: -a, -g and -F DEVICE (or -FDEVICE) are
 * options, anything else (even "-x") is a setting.
 */
function* stty_run(argv: string[]): UserGen<number> {
  let all = false;
  let recoverable = false;
  let dev: string | undefined;
  const settings: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-a") all = true;
    else if (a === "-g") recoverable = true;
    else if (a.startsWith("-F")) {
      dev = a.length > 2 ? a.slice(2) : argv[++i];
      if (dev === undefined) {
        yield* puts(2, "stty: -F requires an argument\n");
        return 1;
      }
    } else settings.push(a);
  }
  if (all && recoverable) {
    yield* puts(2, "stty: -a and -g are mutually exclusive\n");
    return 1;
  }
  if ((all || recoverable) && settings.length) {
    yield* puts(2, "stty: modes may not be set when -a or -g is used\n");
    return 1;
  }
  let fd = 0;
  const devName = dev ?? "standard input";
  if (dev !== undefined) {
    fd = yield* open(dev, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
      yield* puts(2, `stty: can't open '${dev}': ${strerror(fd)}\n`);
      return 1;
    }
  }
  const r = yield* ioctl<Termios>(fd, TCGETS);
  if (typeof r !== "object") {
    yield* puts(2, `stty: ${devName}: ${strerror(r)}\n`);
    return 1;
  }
  const t: Termios = { ...r, c_cc: [...r.c_cc] };
  const wsr = yield* ioctl<Winsize>(fd, TIOCGWINSZ);
  const ws = typeof wsr === "object" ? { ...wsr } : null;
  const max = ws && ws.ws_col > 0 ? ws.ws_col : 80;
  if (settings.length === 0) {
    if (recoverable) {
      const cc = [...t.c_cc];
      while (cc.length < NCCS) cc.push(0);
      const hex = (n: number): string => (n >>> 0).toString(16);
      yield* puts(
        1,
        `${[t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag, ...cc.slice(0, NCCS)].map(hex).join(":")}\n`,
      );
    } else yield* puts(1, display(t, ws, all, max));
    return 0;
  }
  let changed = false;
  let newWs: Winsize | null = null;
  try {
    const args = settings;
    for (let i = 0; i < args.length; i++) {
      let a = args[i]!;
      const need = (): string => {
        const v = args[++i];
        if (v === undefined) throw new SttyError(`${a} requires an argument`);
        return v;
      };
      let reversed = false;
      if (a.startsWith("-") && a.length > 1) {
        reversed = true;
        a = a.slice(1);
      }
      if (setMode(t, a, reversed)) {
        changed = true;
        continue;
      }
      if (reversed) throw new SttyError(`invalid argument '-${a}'`);
      const ctl = CONTROLS.find((c) => c[0] === a);
      if (ctl) {
        t.c_cc[ctl[2]] = ccValue(need(), a);
        changed = true;
        continue;
      }
      switch (a) {
        case "rows":
          newWs = { ...(newWs ?? ws ?? { ws_row: 0, ws_col: 0 }), ws_row: xatou(need()) };
          continue;
        case "cols":
        case "columns":
          newWs = { ...(newWs ?? ws ?? { ws_row: 0, ws_col: 0 }), ws_col: xatou(need()) };
          continue;
        case "size":
          yield* puts(1, `${ws?.ws_row ?? 0} ${ws?.ws_col ?? 0}\n`);
          continue;
        case "speed":
          yield* puts(1, `${baudValue(t.c_cflag)}\n`);
          continue;
        case "line":
          xatou(need());
          continue;
        case "ispeed":
        case "ospeed":
          a = need();
          break;
      }
      const n = xatou(a);
      const bi = BAUDS.indexOf(n);
      if (bi < 0) throw new SttyError(`invalid argument '${a}'`);
      t.c_cflag = ((t.c_cflag & ~CBAUD) | baudCode(bi)) >>> 0;
      changed = true;
    }
  } catch (e) {
    if (!(e instanceof SttyError)) throw e;
    yield* puts(2, `stty: ${e.message}\n`);
    return 1;
  }
  if (newWs) yield* ioctl(fd, TIOCSWINSZ, newWs);
  if (changed) {
    const s = yield* ioctl(fd, TCSETS, t);
    if (typeof s === "number" && s < 0) {
      yield* puts(2, `stty: ${devName}: ${strerror(s)}\n`);
      return 1;
    }
  }
  return 0;
}

/** reset: operands are ignored. */
function* reset_main(): UserGen<number> {
  if ((yield* isatty(0)) && (yield* isatty(1))) {
    // ESC c reset, ESC ( B G0 = US, ESC [ m attributes off, ESC [ J erase below, ESC [ ? 25 h cursor on
    yield* puts(1, "\x1bc\x1b(B\x1b[m\x1b[J\x1b[?25h");
    return yield* stty_run(["stty", "sane"]);
  }
  return 0;
}

export const stty: Applet = { name: "stty", dir: "/bin", usage: USAGE, main: stty_run };
export const reset: Applet = { name: "reset", dir: "/usr/bin", usage: RESET_USAGE, main: reset_main };
