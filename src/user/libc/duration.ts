/*
 * duration.ts - libbb's parse_duration_str (libbb/duration.c): a time in
 * seconds as sleep, top -d and watch -n take it: "5", "0.5", ".25", with an
 * optional unit s, m, h or d ("1.5h").
 */

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds, or null when the text is not a duration. */
export function parse_duration_str(s: string): number | null {
  const m = /^([0-9]+)?(?:\.([0-9]*))?([smhd]?)$/.exec(s);
  if (!m || (m[1] === undefined && !m[2])) return null;
  return Number(`${m[1] ?? "0"}.${m[2] ?? "0"}`) * UNITS[m[3]];
}

/**
 * parse_duration_str exactly as libbb/duration.c with FLOAT_DURATION: text
 * with a '.' is strtod of its leading digits and dots (anything else there
 * shows the usage: null), times xatoul_sfx of the rest with a '1' in place
 * of its last digit ("1.5m" is 1.5 x "1m"; "1.5x" is "invalid number '1x'");
 * text without one is xatoul_sfx with the s/m/h/d suffixes. An error
 * message is returned as a string.
 */
export function bb_parse_duration_str(s: string): number | string | null {
  const xatoul_sfx = (t: string): number | string => {
    const m = /^([0-9]+)([smhd]?)$/.exec(t);
    if (!m || Number(m[1]) > 2 ** 64 - 1) return `invalid number '${t}'`;
    return Number(m[1]) * UNITS[m[2]];
  };
  if (!s.includes(".")) return xatoul_sfx(s);
  const len = /^[0-9.]*/.exec(s)![0].length;
  const num = s.slice(0, len);
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(num)) return null; // strtod stopped early
  const mult = xatoul_sfx(`1${s.slice(len)}`);
  return typeof mult === "string" ? mult : Number(num) * mult;
}
