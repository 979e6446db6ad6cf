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
