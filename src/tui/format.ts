/*
 * format.ts - numbers as the TUI shows them: sizes, uptime, speed, counts.
 */

/** Pages as a size: "512K", "742.5M", "3.1G". */
export function formatPages(pages: number, pageSize = 4096): string {
  const kib = (pages * pageSize) / 1024;
  if (kib < 1024) return `${Math.round(kib)}K`;
  if (kib < 1024 * 1024) return `${(kib / 1024).toFixed(1)}M`;
  return `${(kib / 1024 / 1024).toFixed(1)}G`;
}

/** Simulated uptime as h:mm:ss.t */
export function formatUptime(ns: number): string {
  const tenths = Math.floor(ns / 1e8);
  const s = Math.floor(tenths / 10);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${tenths % 10}`;
}

/** A speed factor: "1.00x", "0.25x", "10x". */
export function formatSpeed(x: number): string {
  if (x >= 9.95) return `${Math.round(x)}x`;
  return `${x.toFixed(2)}x`;
}

/** A count in at most three characters: "7", "512", "12k", ".3M". */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 99_500) return `${Math.round(n / 1000)}k`;
  return `${(n / 1e6).toFixed(1).replace(/^0/, "")}M`;
}
