/*
 * cal.ts - cal (util-linux/cal.c): a month (or with -y, or a YEAR alone,
 * a whole year, three months a row) of the Gregorian calendar, with the
 * Julian-to-Gregorian switch of September 1752 (the 3rd to the 13th never
 * happened). -j numbers the days through the year, -m starts weeks on
 * Monday. Without arguments: this month, from the machine's clock (UTC).
 *
 * The text is built as BusyBox builds it: each row of days in a buffer of
 * blanks, printed with its trailing blanks cut - unless the row is all
 * blanks, which trim_trailing_spaces_and_print leaves as it is; centred
 * titles keep the blanks after them.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage, strtou_range_sfx } from "../libc/libbb.js";
import { Writer } from "../libc/stream.js";
import { gmtime, time } from "../libc/time.js";
import type { Applet } from "./registry.js";

const USAGE = `cal [-jmy] [[MONTH] YEAR]

Display a calendar

\t-j\tUse julian dates
\t-m\tWeek starts on Monday
\t-y\tDisplay the entire year`;

const MONTHS = "January February March April May June July August September October November December".split(
  " ",
);
const WDAYS = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const SEP1752 = [1, 2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];
const FIRST_MISSING_DAY = 639787; // 3 Sep 1752
const NUMBER_MISSING_DAYS = 11;
const SATURDAY = 6; // 1 Jan 1 was a Saturday
const SPACE = -1;
const DAY_LEN = 3;
const WEEK_LEN = 20;
const J_WEEK_LEN = WEEK_LEN + 7;
const HEAD_SEP = 2;

/** Leap years: every 4th up to 1752 (Julian), Gregorian after. */
const leap_year = (yr: number): boolean =>
  yr <= 1752 ? yr % 4 === 0 : (yr % 4 === 0 && yr % 100 !== 0) || yr % 400 === 0;

function leap_years_since_year_1(yr: number): number {
  const centuries = yr > 1700 ? Math.floor(yr / 100) - 17 : 0;
  const quads = yr > 1600 ? Math.floor((yr - 1600) / 400) : 0;
  return Math.floor(yr / 4) - centuries + quads;
}

/** day_array: the 42 slots (6 weeks) of a month, SPACE where there is no day. */
function day_array(month: number, year: number, julian: boolean, monday: number): number[] {
  const days = new Array<number>(42).fill(SPACE);
  if (month === 9 && year === 1752) {
    SEP1752.forEach((d, i) => {
      days[i + 2 - monday] = d + (julian ? 244 : 0);
    });
    return days;
  }
  let day = 1;
  if (month > 2 && leap_year(year)) day++;
  for (let i = month; i; ) day += DAYS_IN_MONTH[--i];
  const temp = (year - 1) * 365 + leap_years_since_year_1(year - 1) + day;
  let dw =
    temp < FIRST_MISSING_DAY ? (temp - 1 + SATURDAY) % 7 : (temp - 1 + SATURDAY - NUMBER_MISSING_DAYS) % 7;
  dw = (dw + 7 - monday) % 7;
  if (!julian) day = 1;
  let dm = DAYS_IN_MONTH[month];
  if (month === 2 && leap_year(year)) dm++;
  do days[dw++] = day++;
  while (--dm);
  return days;
}

/** build_row: one week into `buf` at `at` (3 characters a day, 4 with -j). */
function build_row(buf: string[], at: number, days: number[], from: number, julian: boolean): void {
  const w = DAY_LEN + (julian ? 1 : 0);
  for (let col = 0; col < 7; col++) {
    const d = days[from + col];
    for (let k = 0; k < w; k++) buf[at + col * w + k] = " ";
    if (d !== SPACE) {
      const s = String(d).padStart(w - 1);
      for (let k = 0; k < s.length; k++) buf[at + col * w + k] = s[k];
    }
  }
}

/** trim_trailing_spaces_and_print: a line of only blanks stays as it is. */
const trimmed = (s: string): string => (/\S/.test(s) ? s.replace(/\s+$/, "") : s);

/** center: STR in the middle of LEN columns, then SEPARATE more blanks. */
function center(str: string, len: number, separate: number): string {
  const rest = len - str.length;
  return (
    str.padStart(Math.floor(rest / 2) + str.length) + " ".repeat(Math.floor(rest / 2) + (rest % 2) + separate)
  );
}

function* cal_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "jym", USAGE);
  if (!o) return 1;
  const julian = o.has("j");
  const monday = o.has("m") ? 1 : 0;
  const yearly = o.has("y");
  let month = 0;
  let year: number;
  const args = o.rest;
  if (args.length === 0) {
    const tm = gmtime(yield* time());
    year = tm.tm_year + 1900;
    if (!yearly) month = tm.tm_mon + 1;
  } else {
    if (args.length > 2) return yield* bb_show_usage(USAGE);
    const num = function* (s: string, hi: number): UserGen<number | null> {
      const r = strtou_range_sfx(s, 10, 1, hi);
      if (r.ok) return r.value;
      yield* bb_error_msg("cal", r.msg);
      return null;
    };
    if (args.length === 2 && !yearly) {
      const m = yield* num(args[0], 12);
      if (m === null) return 1;
      month = m;
    }
    const y = yield* num(args[args.length - 1], 9999);
    if (y === null) return 1;
    year = y;
  }
  const headings = Array.from({ length: 7 }, (_, i) => (julian ? " " : "") + WDAYS[(i + monday) % 7]).join(
    " ",
  );
  let text = "";
  if (month) {
    const days = day_array(month, year, julian, monday);
    const title = `${MONTHS[month - 1]} ${year}`;
    text += `${" ".repeat(Math.floor((7 * (julian ? 1 : 0) + WEEK_LEN - title.length) / 2))}${title}\n${headings}\n`;
    for (let row = 0; row < 6; row++) {
      const buf: string[] = [];
      build_row(buf, 0, days, row * 7, julian);
      text += `${trimmed(buf.join(""))}\n`;
    }
  } else {
    const per = julian ? 2 : 3;
    const week_len = julian ? J_WEEK_LEN : WEEK_LEN;
    text += `${center(String(year), julian ? J_WEEK_LEN * 2 + HEAD_SEP : WEEK_LEN * 3 + HEAD_SEP * 2, 0)}\n\n`;
    const days = Array.from({ length: 12 }, (_, i) => day_array(i + 1, year, julian, monday));
    // lineout: 79 blanks, rows written over it group after group
    const line = new Array<string>(79).fill(" ");
    for (let m = 0; m < 12; m += per) {
      for (let k = 0; k < per; k++) text += center(MONTHS[m + k], week_len, k < per - 1 ? HEAD_SEP : 0);
      text += `\n${Array.from({ length: per }, () => headings).join("  ")}\n`;
      for (let row = 0; row < 42; row += 7) {
        for (let k = 0; k < per; k++) build_row(line, k * (week_len + 2), days[m + k], row, julian);
        text += `${trimmed(line.join(""))}\n`;
      }
    }
  }
  const out = yield* Writer.open(1);
  yield* out.puts(text);
  yield* out.flush();
  return 0;
}

export const cal: Applet = { name: "cal", dir: "/usr/bin", usage: USAGE, main: cal_main };
