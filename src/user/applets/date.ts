/*
 * date.ts - date (coreutils/date.c): print the machine's clock
 * (CLOCK_REALTIME of the simulated machine; the zone is UTC, as on a
 * BusyBox system without /etc/TZ), another time (-d), or a file's mtime
 * (-r), in the default "%a %b %e %H:%M:%S %Z %Y", RFC 2822 (-R), ISO 8601
 * (-I[date|hours|minutes|seconds|ns]) or a +FORMAT of strftime letters.
 *
 * TIME is what libbb's parse_datestr() accepts: @SECONDS, hh:mm[:ss],
 * [YYYY.]MM.DD-hh:mm[:ss], YYYY-MM-DD [hh:mm[:ss]], digits as
 * [[[[[YY]YY]MM]DD]hh]mm[.ss], or anything matching -D's strptime format.
 *
 * Setting the clock (-s TIME, or "date MMDDhhmm[[YY]YY][.ss]") needs a
 * clock_settime the simulated kernel does not offer: it fails with ENOSYS,
 * as on a kernel built without it.
 */

import { ENOSYS } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { puts, strerror } from "../libc/stdio.js";
import { clock_gettime, stat } from "../libc/sys.js";
import { gmtime, MONTHS, parse_datestr, strftime, timegm } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `date [OPTIONS] [+FMT] [[-s] TIME]

Display time (using +FMT), or set time

\t-u\t\tWork in UTC (don't convert to local time)
\t[-s] TIME\tSet time to TIME
\t-d TIME\t\tDisplay TIME, not 'now'
\t-D FMT\t\tFMT (strptime format) for -s/-d TIME conversion
\t-r FILE\t\tDisplay last modification time of FILE
\t-R\t\tOutput RFC-2822 date
\t-I[SPEC]\tOutput ISO-8601 date
\t\t\tSPEC=date (default), hours, minutes, seconds or ns

Recognized TIME formats:
\t@seconds_since_1970
\thh:mm[:ss]
\t[YYYY.]MM.DD-hh:mm[:ss]
\tYYYY-MM-DD hh:mm[:ss]
\t[[[[[YY]YY]MM]DD]hh]mm[.ss]
\t'date TIME' form accepts MMDDhhmm[[YY]YY][.ss] instead`;

const CLOCK_REALTIME = 0;

/** A date and time being built from its parts (fields left alone keep "now"). */
interface Parts {
  y: number;
  mo: number; // 0..11
  d: number;
  h: number;
  mi: number;
  s: number;
}

const toTime = (p: Parts): number =>
  timegm({ tm_year: p.y - 1900, tm_mon: p.mo, tm_mday: p.d, tm_hour: p.h, tm_min: p.mi, tm_sec: p.s });

/** strptime for the -D format: %Y %m %d %H %M %S %y %b %e %j %s and literals. */
function strptime(s: string, fmt: string, p: Parts): number | null {
  let i = 0;
  for (let f = 0; f < fmt.length; f++) {
    if (fmt[f] !== "%") {
      if (/\s/.test(fmt[f])) {
        while (/\s/.test(s[i] ?? "")) i++;
      } else if (s[i++] !== fmt[f]) return null;
      continue;
    }
    const c = fmt[++f];
    const num = (max: number): number | null => {
      const m = new RegExp(`^ ?[0-9]{1,${max}}`).exec(s.slice(i));
      if (!m) return null;
      i += m[0].length;
      return Number(m[0]);
    };
    let v: number | null;
    if (c === "Y") {
      if ((v = num(4)) === null) return null;
      p.y = v;
    } else if (c === "y") {
      if ((v = num(2)) === null) return null;
      p.y = v < 69 ? 2000 + v : 1900 + v;
    } else if (c === "m") {
      if ((v = num(2)) === null) return null;
      p.mo = v - 1;
    } else if (c === "d" || c === "e") {
      if ((v = num(2)) === null) return null;
      p.d = v;
    } else if (c === "H") {
      if ((v = num(2)) === null) return null;
      p.h = v;
    } else if (c === "M") {
      if ((v = num(2)) === null) return null;
      p.mi = v;
    } else if (c === "S") {
      if ((v = num(2)) === null) return null;
      p.s = v;
    } else if (c === "b" || c === "h") {
      const mi = MONTHS.findIndex((m) => s.slice(i, i + 3).toLowerCase() === m.toLowerCase());
      if (mi < 0) return null;
      p.mo = mi;
      i += 3;
    } else if (c === "s") {
      const m = /^-?[0-9]+/.exec(s.slice(i));
      if (!m) return null;
      i += m[0].length;
      const tm = gmtime(Number(m[0]));
      Object.assign(p, {
        y: tm.tm_year + 1900,
        mo: tm.tm_mon,
        d: tm.tm_mday,
        h: tm.tm_hour,
        mi: tm.tm_min,
        s: tm.tm_sec,
      });
    } else if (c === "%") {
      if (s[i++] !== "%") return null;
    } else return null;
  }
  return i === s.length ? toTime(p) : null;
}

/**
 * The TIME of -d and -s: libbb's parse_datestr over "now" taken back to
 * midnight (date zeroes the time of day first), then carried into a real
 * time as mktime does (February 30 is March 1). The `date TIME` form puts
 * MMDDhhmm[[CC]YY][.ss] in touch's order first, as date.c does. null: an
 * invalid date.
 */
export function date_parse(str: string, now: number, setForm = false): number | null {
  const t = gmtime(now);
  const base = { ...t, tm_hour: 0, tm_min: 0, tm_sec: 0 };
  let s = str;
  const m = setForm ? /^(\d{8})(\d{2}|\d{4})?(\.\d+)?$/.exec(str) : null;
  if (setForm && !m) return null;
  if (m) s = `${m[2] ?? ""}${m[1]}${m[3] ?? ""}`;
  const tm = parse_datestr(s, base);
  return tm ? timegm(tm) : null;
}

function* date_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "Rs:ud:D:r:I::", USAGE, [
    { name: "rfc-822", arg: 0, val: "R" },
    { name: "rfc-2822", arg: 0, val: "R" },
    { name: "set", arg: 1, val: "s" },
    { name: "utc", arg: 0, val: "u" },
    { name: "date", arg: 1, val: "d" },
    { name: "reference", arg: 1, val: "r" },
    { name: "iso-8601", arg: 2, val: "I" },
  ]);
  if (!o) return 1;
  let fmt: string | undefined;
  const ops = [...o.rest];
  if (ops[0]?.startsWith("+")) fmt = ops.shift()!.slice(1);
  if (ops.length > 1) return yield* bb_show_usage(USAGE);
  let iso: string | undefined;
  if (o.has("I")) {
    iso = o.arg("I") ?? "date";
    if (!["date", "hours", "minutes", "seconds", "ns"].some((s) => s.startsWith(iso!) && iso !== "")) {
      return yield* bb_show_usage(USAGE);
    }
    iso = ["date", "hours", "minutes", "seconds", "ns"].find((s) => s.startsWith(iso!));
  }
  const nowNs = yield* clock_gettime(CLOCK_REALTIME);
  let t = Math.floor(nowNs / 1e9);
  let nsec = nowNs % 1e9;
  const set = o.arg("s") ?? ops[0];
  const file = o.arg("r");
  if (file !== undefined) {
    const st = yield* stat(file);
    if (typeof st === "number") {
      yield* bb_perror_msg("date", `can't stat '${file}'`, st);
      return 1;
    }
    t = st.st_mtime;
    nsec = 0;
  }
  const dateStr = o.arg("d") ?? set;
  if (dateStr !== undefined) {
    const D = o.arg("D");
    const tm = gmtime(t);
    const parsed = D
      ? strptime(dateStr, D, { y: tm.tm_year + 1900, mo: tm.tm_mon, d: tm.tm_mday, h: 0, mi: 0, s: 0 })
      : date_parse(dateStr, t, o.arg("d") === undefined && o.arg("s") === undefined);
    if (parsed === null) {
      yield* bb_error_msg("date", `invalid date '${dateStr}'`);
      return 1;
    }
    t = parsed;
    nsec = 0;
    if (o.arg("d") === undefined) {
      // stime(): the simulated kernel cannot set its clock
      yield* bb_error_msg("date", `can't set date: ${strerror(-ENOSYS)}`);
      return 1;
    }
  }
  const tm = gmtime(t);
  if (fmt === undefined) {
    if (o.has("R")) fmt = "%a, %d %b %Y %H:%M:%S %z";
    else if (iso !== undefined) {
      fmt = {
        date: "%Y-%m-%d",
        hours: "%Y-%m-%dT%H+00:00",
        minutes: "%Y-%m-%dT%H:%M+00:00",
        seconds: "%Y-%m-%dT%H:%M:%S+00:00",
        // -Ins prints the nanoseconds itself (glibc's strftime has no %N)
        ns: `%Y-%m-%dT%H:%M:%S,${String(nsec).padStart(9, "0")}+00:00`,
      }[iso as "date"];
    } else fmt = "%a %b %e %H:%M:%S %Z %Y";
  }
  yield* puts(1, `${strftime(fmt, tm, t)}\n`);
  return 0;
}

export const date: Applet = { name: "date", dir: "/bin", usage: USAGE, main: date_main };
