/*
 * play.ts - `mmbox play FILE.cast`: writes a recording's output to the
 * terminal with its timing (the gaps between events, divided by --speed),
 * as `asciinema play` does. Input and resize events are not shown. Long
 * pauses are cut to the header's idle_time_limit when it has one.
 */

import type { Writable } from "node:stream";
import type { Cast } from "./cast.js";

export interface PlayOptions {
  speed: number;
  /** Waits `ms` (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function play(c: Cast, out: Writable, o: PlayOptions): Promise<void> {
  const sleep = o.sleep ?? realSleep;
  const limit = (c.header as { idle_time_limit?: unknown }).idle_time_limit;
  const idle = typeof limit === "number" && limit > 0 ? limit : Number.POSITIVE_INFINITY;
  let broken = false;
  out.on?.("error", () => {
    broken = true; // the reader went away (| head): stop quietly
  });
  let prev = 0;
  for (const [t, code, data] of c.events) {
    if (broken) return;
    if (code !== "o") continue;
    const gap = Math.min(Math.max(0, t - prev), idle) / o.speed;
    prev = t;
    if (gap >= 0.001) await sleep(gap * 1000);
    out.write(data);
  }
}
