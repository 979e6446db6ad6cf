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

const p2 = (n: number): string => String(n).padStart(2, "0");

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

/** strftime in the C locale, zone UTC; nsec feeds %N (a GNU/BusyBox extension). */
export function strftime(fmt: string, tm: Tm, t: number, nsec = 0): string {
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%" || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let f = fmt[++i];
    while (f === "-" || f === "_" || f === "0" || f === "E" || f === "O") f = fmt[++i];
    const y = tm.tm_year + 1900;
    const h12 = tm.tm_hour % 12 === 0 ? 12 : tm.tm_hour % 12;
    switch (f) {
      case "a":
        out += DAYS[tm.tm_wday];
        break;
      case "A":
        out += DAY_NAMES[tm.tm_wday];
        break;
      case "b":
      case "h":
        out += MONTHS[tm.tm_mon];
        break;
      case "B":
        out += MONTH_NAMES[tm.tm_mon];
        break;
      case "c":
        out += strftime("%a %b %e %H:%M:%S %Y", tm, t);
        break;
      case "C":
        out += p2(Math.floor(y / 100));
        break;
      case "d":
        out += p2(tm.tm_mday);
        break;
      case "D":
      case "x":
        out += strftime("%m/%d/%y", tm, t);
        break;
      case "e":
        out += String(tm.tm_mday).padStart(2, " ");
        break;
      case "F":
        out += strftime("%Y-%m-%d", tm, t);
        break;
      case "g":
        out += p2(iso_week(tm)[1] % 100);
        break;
      case "G":
        out += String(iso_week(tm)[1]);
        break;
      case "H":
        out += p2(tm.tm_hour);
        break;
      case "I":
        out += p2(h12);
        break;
      case "j":
        out += String(tm.tm_yday + 1).padStart(3, "0");
        break;
      case "k":
        out += String(tm.tm_hour).padStart(2, " ");
        break;
      case "l":
        out += String(h12).padStart(2, " ");
        break;
      case "m":
        out += p2(tm.tm_mon + 1);
        break;
      case "M":
        out += p2(tm.tm_min);
        break;
      case "n":
        out += "\n";
        break;
      case "N":
        out += String(nsec).padStart(9, "0");
        break;
      case "p":
        out += tm.tm_hour < 12 ? "AM" : "PM";
        break;
      case "P":
        out += tm.tm_hour < 12 ? "am" : "pm";
        break;
      case "r":
        out += strftime("%I:%M:%S %p", tm, t);
        break;
      case "R":
        out += strftime("%H:%M", tm, t);
        break;
      case "s":
        out += String(t);
        break;
      case "S":
        out += p2(tm.tm_sec);
        break;
      case "t":
        out += "\t";
        break;
      case "T":
      case "X":
        out += strftime("%H:%M:%S", tm, t);
        break;
      case "u":
        out += String(tm.tm_wday === 0 ? 7 : tm.tm_wday);
        break;
      case "U":
        out += p2(Math.floor((tm.tm_yday + 7 - tm.tm_wday) / 7));
        break;
      case "V":
        out += p2(iso_week(tm)[0]);
        break;
      case "w":
        out += String(tm.tm_wday);
        break;
      case "W":
        out += p2(Math.floor((tm.tm_yday + 7 - ((tm.tm_wday + 6) % 7)) / 7));
        break;
      case "y":
        out += p2(y % 100);
        break;
      case "Y":
        out += String(y);
        break;
      case "z":
        out += "+0000";
        break;
      case "Z":
        out += "UTC";
        break;
      case "%":
        out += "%";
        break;
      default:
        out += `%${f}`;
    }
  }
  return out;
}

type TmFields = Omit<Tm, "tm_wday" | "tm_yday">;

/**
 * parse_datestr (libbb/time.c): the date forms BusyBox accepts, applied to
 * `base` (fields not given keep its values). null when none matches.
 *   hh:mm[:ss]   [YYYY.]MM.DD-hh:mm[:ss]   YYYY-MM-DD[ hh[:mm[:ss]]]
 *   @seconds     [[[[[YY]YY]MM]DD]hh]mm[.ss]
 */
export function parse_datestr(s: string, base: TmFields): TmFields | null {
  const tm = { ...base };
  let m: RegExpExecArray | null;
  const set = (
    y: string | undefined,
    mo: string,
    d: string,
    h?: string,
    mi?: string,
    sec?: string,
  ): TmFields => {
    if (y !== undefined) tm.tm_year = Number(y) - 1900;
    tm.tm_mon = Number(mo) - 1;
    tm.tm_mday = Number(d);
    if (h !== undefined) tm.tm_hour = Number(h);
    if (mi !== undefined) tm.tm_min = Number(mi);
    if (sec !== undefined) tm.tm_sec = Number(sec);
    return tm;
  };
  if ((m = /^(\d+):(\d+)(?::(\d+))?$/.exec(s))) {
    tm.tm_hour = Number(m[1]);
    tm.tm_min = Number(m[2]);
    if (m[3] !== undefined) tm.tm_sec = Number(m[3]);
    return tm;
  }
  if ((m = /^(?:(\d+)\.)?(\d+)\.(\d+)-(\d+):(\d+)(?::(\d+))?$/.exec(s)))
    return set(m[1], m[2], m[3], m[4], m[5], m[6]);
  if ((m = /^(\d+)-(\d+)-(\d+)(?:[ T](\d+)(?::(\d+)(?::(\d+))?)?)?$/.exec(s)))
    return set(m[1], m[2], m[3], m[4], m[5] ?? (m[4] !== undefined ? "0" : undefined), m[6]);
  if ((m = /^@(-?\d+)$/.exec(s))) {
    const t = gmtime(Number(m[1]));
    return { ...t };
  }
  if ((m = /^(\d+)(?:\.(\d\d))?$/.exec(s))) {
    const d = m[1];
    if (d.length % 2 || d.length > 12) return null;
    const pairs = d.match(/../g)!.map(Number);
    if (d.length === 12) tm.tm_year = pairs[0] * 100 + pairs[1] - 1900;
    else if (d.length === 10) tm.tm_year = pairs[0] < 69 ? pairs[0] + 100 : pairs[0];
    const tail = pairs.slice(d.length >= 10 ? (d.length === 12 ? 2 : 1) : 0);
    const names: (keyof TmFields)[] = ["tm_mon", "tm_mday", "tm_hour", "tm_min"].slice(
      4 - tail.length,
    ) as (keyof TmFields)[];
    names.forEach((n, i) => {
      tm[n] = n === "tm_mon" ? tail[i] - 1 : tail[i];
    });
    tm.tm_sec = m[2] !== undefined ? Number(m[2]) : 0;
    return tm;
  }
  return null;
}

/** Is the broken-down time a real one (month 1-12, day of month, 0-23 hours...)? */
export function valid_tm(tm: TmFields): boolean {
  const y = tm.tm_year + 1900;
  const mdays = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return (
    tm.tm_mon >= 0 &&
    tm.tm_mon < 12 &&
    tm.tm_mday >= 1 &&
    tm.tm_mday <= mdays[tm.tm_mon] &&
    tm.tm_hour < 24 &&
    tm.tm_min < 60 &&
    tm.tm_sec <= 60
  );
}
