/*
 * charts.ts - the memory panel's pictures as text, pure functions of a
 * snapshot (tested on their own):
 *
 *   zone bar     free pages on a scale of 4 x the high watermark, so the
 *                marks stand apart; full with "»" when there is more.
 *                ████████████│██│████│██████████████████████·······
 *                            min low high
 *   buddy        free blocks per order, one column each, log scale (a
 *                count of 1 is visible next to a count of 100000), in
 *                eighth-blocks: ▁▂▃▄▅▆▇█
 */

import type { ZoneSnapshot } from "../../machine.js";

export interface Segment {
  text: string;
  color?: string;
  dim?: boolean;
}

/** How close a zone is to its watermarks: what reclaim would be doing. */
export function zoneLevel(z: ZoneSnapshot): "min" | "low" | "high" | "ok" {
  if (z.free <= z.min) return "min";
  if (z.free <= z.low) return "low";
  if (z.free <= z.high) return "high";
  return "ok";
}

export const LEVEL_COLOR: Record<ReturnType<typeof zoneLevel>, string> = {
  min: "red",
  low: "yellow",
  high: "cyan",
  ok: "green",
};

/** The zone's bar, `width` cells, as coloured segments. */
export function zoneBar(z: ZoneSnapshot, width: number): Segment[] {
  const scale = z.high > 0 ? 4 * z.high : Math.max(1, z.managed);
  const at = (v: number): number => Math.min(width - 1, Math.floor((v / scale) * width));
  const marks = new Map<number, string>([
    [at(z.high), "green"],
    [at(z.low), "yellow"],
    [at(z.min), "red"],
  ]);
  const fill = LEVEL_COLOR[zoneLevel(z)];
  const cells: Segment[] = [];
  for (let i = 0; i < width; i++) {
    const filled = z.free >= ((i + 0.5) / width) * scale;
    const mark = z.high > 0 ? marks.get(i) : undefined;
    if (i === width - 1 && z.free > scale) cells.push({ text: "»", color: fill });
    else if (mark) cells.push({ text: "│", color: mark });
    else if (filled) cells.push({ text: "█", color: fill });
    else cells.push({ text: "·", dim: true });
  }
  return merge(cells);
}

function merge(cells: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const c of cells) {
    const last = out[out.length - 1];
    if (last && last.color === c.color && last.dim === c.dim) last.text += c.text;
    else out.push({ ...c });
  }
  return out;
}

const EIGHTHS = " ▁▂▃▄▅▆▇█";

/** Rows (top first) of a log-scale column chart, `colWidth` cells per value. */
export function logColumns(values: number[], height: number, colWidth = 2, gap = 1): string[] {
  const max = Math.max(1, ...values);
  const levels = values.map((v) =>
    v > 0 ? Math.max(1, Math.round((Math.log2(1 + v) / Math.log2(1 + max)) * height * 8)) : 0,
  );
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    let s = "";
    for (const lv of levels) {
      const e = Math.max(0, Math.min(8, lv - r * 8));
      s += EIGHTHS[e].repeat(colWidth) + " ".repeat(gap);
    }
    rows.push(s.trimEnd());
  }
  return rows;
}
