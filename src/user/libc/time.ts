/*
 * time.ts - calendar time for user programs (glibc's time, gmtime,
 * localtime, mktime and strftime). The simulated machine has no time zone
 * database: local time is UTC, as on a BusyBox system without /etc/TZ.
 * The clock is the machine's CLOCK_REALTIME (clock_gettime), never the host's.
 */

import { CLOCK_REALTIME } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { clock_gettime } from "./sys.js";

export interface Tm {
  tm_sec: number;
  tm_min: number;
  tm_hour: number;
  tm_mday: number;
  tm_mon: number; // 0..11
  tm_year: number; // years since 1900
  tm_wday: number; // 0 = Sunday
  tm_yday: number; // 0..365
}

/** time(): seconds since the epoch. */
export function* time(): UserGen<number> {
  return Math.floor((yield* clock_gettime(CLOCK_REALTIME)) / 1e9);
}

function days_from_civil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** gmtime (and localtime, the zone being UTC). */
export function gmtime(t: number): Tm {
  const days = Math.floor(t / 86400);
  const secs = t - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const yday = days - days_from_civil(y, 1, 1);
  return {
    tm_sec: secs % 60,
    tm_min: Math.floor(secs / 60) % 60,
    tm_hour: Math.floor(secs / 3600),
    tm_mday: d,
    tm_mon: m - 1,
    tm_year: y - 1900,
    tm_wday: (((days + 4) % 7) + 7) % 7,
    tm_yday: yday,
  };
}

/** mktime/timegm: normalises out-of-range fields as glibc does. */
export function timegm(tm: Omit<Tm, "tm_wday" | "tm_yday">): number {
  const y = tm.tm_year + 1900 + Math.floor(tm.tm_mon / 12);
  const mon = ((tm.tm_mon % 12) + 12) % 12;
  return (
    days_from_civil(y, mon + 1, 1) * 86400 +
    (tm.tm_mday - 1) * 86400 +
    tm.tm_hour * 3600 +
    tm.tm_min * 60 +
    tm.tm_sec
  );
}

export const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
export const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** ISO 8601 week number and its year (%V, %G). */
function iso_week(tm: Tm): [number, number] {
  const wday = (tm.tm_wday + 6) % 7; // Monday = 0
  let year = tm.tm_year + 1900;
  let week = Math.floor((tm.tm_yday - wday + 10) / 7);
  if (week < 1) {
    year--;
    const prevDays = leap(year) ? 366 : 365;
    week = Math.floor((tm.tm_yday + prevDays - wday + 10) / 7);
  } else if (week === 53) {
    const days = leap(year) ? 366 : 365;
    if (tm.tm_yday - wday + 3 >= days) {
      week = 1;
      year++;
    }
  }
  return [week, year];
}

/** One conversion's text: a number (with its default width and padding) or a string. */
type Conv = { num: number; width: number; pad: "0" | " " } | { str: string; upper?: boolean } | null;

/** The conversion f of tm (null: glibc does not know it and prints the directive as it is). */
function conversion(f: string, tm: Tm, t: number): Conv {
  const y = tm.tm_year + 1900;
  const h12 = tm.tm_hour % 12 === 0 ? 12 : tm.tm_hour % 12;
  const n = (num: number, width = 2, pad: "0" | " " = "0"): Conv => ({ num, width, pad });
  const str = (x: string, upper = false): Conv => ({ str: x, upper });
  switch (f) {
    case "a":
      return str(DAYS[tm.tm_wday], true);
    case "A":
      return str(DAY_NAMES[tm.tm_wday], true);
    case "b":
    case "h":
      return str(MONTHS[tm.tm_mon], true);
    case "B":
      return str(MONTH_NAMES[tm.tm_mon], true);
    case "c":
      return str(strftime("%a %b %e %H:%M:%S %Y", tm, t));
    case "C":
      return n(Math.floor(y / 100));
    case "d":
      return n(tm.tm_mday);
    case "D":
    case "x":
      return str(strftime("%m/%d/%y", tm, t));
    case "e":
      return n(tm.tm_mday, 2, " ");
    case "F":
      return str(strftime("%Y-%m-%d", tm, t));
    case "g":
      return n(iso_week(tm)[1] % 100);
    case "G":
      return n(iso_week(tm)[1], 1);
    case "H":
      return n(tm.tm_hour);
    case "I":
      return n(h12);
    case "j":
      return n(tm.tm_yday + 1, 3);
    case "k":
      return n(tm.tm_hour, 2, " ");
    case "l":
      return n(h12, 2, " ");
    case "m":
      return n(tm.tm_mon + 1);
    case "M":
      return n(tm.tm_min);
    case "n":
      return str("\n");
    case "p":
      return str(tm.tm_hour < 12 ? "AM" : "PM");
    case "P":
      return str(tm.tm_hour < 12 ? "am" : "pm");
    case "r":
      return str(strftime("%I:%M:%S %p", tm, t));
    case "R":
      return str(strftime("%H:%M", tm, t));
    case "s":
      return n(t, 1);
    case "S":
      return n(tm.tm_sec);
    case "t":
      return str("\t");
    case "T":
    case "X":
      return str(strftime("%H:%M:%S", tm, t));
    case "u":
      return n(tm.tm_wday === 0 ? 7 : tm.tm_wday, 1);
    case "U":
      return n(Math.floor((tm.tm_yday + 7 - tm.tm_wday) / 7));
    case "V":
      return n(iso_week(tm)[0]);
    case "w":
      return n(tm.tm_wday, 1);
    case "W":
      return n(Math.floor((tm.tm_yday + 7 - ((tm.tm_wday + 6) % 7)) / 7));
    case "y":
      return n(y % 100);
    case "Y":
      return n(y, 1);
    case "z":
      return str("+0000");
    case "Z":
      return str("UTC");
    case "%":
      return str("%");
  }
  return null;
}

/**
 * strftime in the C locale, zone UTC, with glibc's flags and widths:
 * "-" no padding, "_" spaces, "0" zeros, "^" upper case, "#" the names in
 * upper case (%p and %Z in lower), a decimal width, then the E or O
 * modifier (no effect in the C locale). A directive glibc does not know -
 * "%N", "%q", a bare "%E" - is printed as it is.
 */
export function strftime(fmt: string, tm: Tm, t: number): string {
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%" || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    const m = /^%([-_0^#]*)(\d*)([EO]?)(.?)/s.exec(fmt.slice(i))!;
    const [whole, flags, widthText, , f] = m;
    const cv = f ? conversion(f, tm, t) : null;
    if (cv === null) {
      // Unknown: the directive stays, and what follows is read again.
      out += whole.slice(0, whole.length - f.length);
      i += whole.length - f.length - 1;
      continue;
    }
    i += whole.length - 1;
    const width = widthText ? Number(widthText) : -1;
    const flag = flags[flags.length - 1] ?? "";
    let text: string;
    if ("num" in cv) {
      // "-" drops the default padding; an explicit width still pads, with blanks.
      const dash = flags.includes("-");
      const pad = dash || flags.includes("_") ? " " : flags.includes("0") ? "0" : cv.pad;
      const w = width >= 0 ? width : dash ? 0 : cv.width;
      const digits = String(Math.abs(cv.num));
      const sign = cv.num < 0 ? "-" : "";
      text = pad === "0" ? sign + digits.padStart(w - sign.length, "0") : (sign + digits).padStart(w, " ");
    } else {
      text = cv.str;
      if (flags.includes("^") || (flags.includes("#") && cv.upper)) text = text.toUpperCase();
      else if (flags.includes("#") && (f === "p" || f === "Z")) text = text.toLowerCase();
      if (width > 0) text = text.padStart(width, flag === "0" ? "0" : " ");
    }
    out += text;
  }
  return out;
}

type TmFields = Omit<Tm, "tm_wday" | "tm_yday">;

/**
 * sscanf with the few conversions parse_datestr uses: %u (blanks skipped,
 * then at least one digit), %c (any one character), a blank (any run of
 * blanks, or none) and other characters literally. The values assigned
 * before the first mismatch; a %c at the end of the string assigns nothing.
 */
function scan(str: string, fmt: string): (number | string)[] {
  const out: (number | string)[] = [];
  let i = 0;
  for (let f = 0; f < fmt.length; f++) {
    if (fmt[f] === "%") {
      const c = fmt[++f];
      if (c === "c") {
        if (i >= str.length) break;
        out.push(str[i++]);
        continue;
      }
      while (i < str.length && /\s/.test(str[i])) i++;
      const m = /^\d+/.exec(str.slice(i));
      if (!m) break;
      out.push(Number(m[0]));
      i += m[0].length;
    } else if (fmt[f] === " ") {
      while (i < str.length && /\s/.test(str[i])) i++;
    } else if (str[i] === fmt[f]) i++;
    else break;
  }
  return out;
}

/** The seconds a ":SS" or ".SS" ending gives; null if the rest is not digits alone (or out of range). */
function tail_seconds(rest: string, max: number): number | null {
  const v = scan(rest, "%u%c");
  return v.length === 1 && (v[0] as number) <= max ? (v[0] as number) : null;
}

/**
 * parse_datestr (libbb/time.c): the date forms BusyBox accepts, applied to
 * `base` (fields a form does not give keep its values; date zeroes the
 * time of day first, touch does not). null: an invalid date.
 *   HH:MM[:SS]  MM.DD-HH:MM[:SS]  YYYY.MM.DD-HH:MM[:SS]  YYYY-MM-DD HH:MM[:SS]
 *   "Mon DD HH:MM:SS YYYY"  YYYY-MM-DD [HH]  @SECONDS
 *   [[[[[CC]YY]MM]DD]hh]mm[.SS]
 * Numbers are read as sscanf's %u (blanks before them are fine), anything
 * left over makes the date invalid, and each field must be in its range
 * (a second of 60 or 61 in the colon forms, 60 after a dot, which the
 * conversion to a time then carries into the next minute).
 */
export function parse_datestr(s: string, base: TmFields): TmFields | null {
  const tm = { ...base };
  const ok = (maxSec: number): TmFields | null =>
    tm.tm_mon >= 0 &&
    tm.tm_mon <= 11 &&
    tm.tm_mday >= 1 &&
    tm.tm_mday <= 31 &&
    tm.tm_hour <= 23 &&
    tm.tm_min <= 59 &&
    tm.tm_sec <= maxSec
      ? tm
      : null;
  let v: (number | string)[];
  const lastColon = s.lastIndexOf(":");
  if (lastColon >= 0) {
    let end: string | undefined;
    if ((v = scan(s, "%u:%u%c")).length >= 2) {
      [tm.tm_hour, tm.tm_min] = v as number[];
      end = v[2] as string | undefined;
    } else if ((v = scan(s, "%u.%u-%u:%u%c")).length >= 4) {
      [tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min] = v as number[];
      tm.tm_mon -= 1;
      end = v[4] as string | undefined;
    } else if (
      (v = scan(s, "%u.%u.%u-%u:%u%c")).length >= 5 ||
      (v = scan(s, "%u-%u-%u %u:%u%c")).length >= 5
    ) {
      [tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min] = v as number[];
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      end = v[5] as string | undefined;
    } else return strptime_bdTY(s, tm);
    if (end === ":") {
      const sec = tail_seconds(s.slice(lastColon + 1), 61);
      if (sec === null) return null;
      tm.tm_sec = sec;
    } else if (end !== undefined) return null;
    return ok(61);
  }
  if (
    s.includes("-") &&
    ((v = scan(s, "%u-%u-%u %u%c")).length >= 4 || (v = scan(s, "%u-%u-%u%c")).length >= 3)
  ) {
    const withHour = v.length >= 4 && typeof v[3] === "number";
    [tm.tm_year, tm.tm_mon, tm.tm_mday] = v as number[];
    if (withHour) tm.tm_hour = v[3] as number;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    if (v[withHour ? 4 : 3] !== undefined) return null;
    return ok(61);
  }
  if (s[0] === "@") {
    if (!/^@[-+]?\d+$/.test(s)) return null;
    return { ...gmtime(Number(s.slice(1))) };
  }
  // [[[[[CC]YY]MM]DD]hh]mm[.SS], as touch -t has it
  const dot = s.indexOf(".");
  const digits = dot < 0 ? s : s.slice(0, dot);
  if (!/^\d+$/.test(digits) || digits.length % 2 || digits.length < 2 || digits.length > 12) return null;
  const pairs = digits.match(/../g)!.map(Number);
  if (digits.length === 12) tm.tm_year = pairs[0] * 100 + pairs[1] - 1900;
  else if (digits.length === 10) tm.tm_year = pairs[0] < 69 ? pairs[0] + 100 : pairs[0];
  const rest = pairs.slice(digits.length >= 10 ? (digits.length === 12 ? 2 : 1) : 0);
  const names = (["tm_mon", "tm_mday", "tm_hour", "tm_min"] as const).slice(4 - rest.length);
  names.forEach((n, i) => {
    tm[n] = n === "tm_mon" ? rest[i] - 1 : rest[i];
  });
  tm.tm_sec = 0;
  if (dot >= 0) {
    const sec = tail_seconds(s.slice(dot + 1), 60);
    if (sec === null) return null;
    tm.tm_sec = sec;
  }
  return ok(60);
}

/** strptime(s, "%b %d %T %Y") over the whole string (ENABLE_DESKTOP's extra form). */
function strptime_bdTY(s: string, tm: TmFields): TmFields | null {
  const m = /^\s*([A-Za-z]{3})[A-Za-z]*\s+(\d{1,2})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})\s+(\d{1,4})$/.exec(s);
  if (!m) return null;
  const mon = MONTHS.findIndex((x) => x.toLowerCase() === m[1].toLowerCase());
  const [d, h, mi, sec, y] = m.slice(2).map(Number);
  if (mon < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 61) return null;
  return { ...tm, tm_year: y - 1900, tm_mon: mon, tm_mday: d, tm_hour: h, tm_min: mi, tm_sec: sec };
}
