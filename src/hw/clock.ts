/*
 * clock.ts - the machine's time: a nanosecond counter that only moves when
 * the simulation says so (DESIGN.md section 4). The kernel derives jiffies
 * from it; nothing here reads the host's clock.
 */

export class Clock {
  /** Nanoseconds since power-on. */
  ns = 0;
  /** Wall-clock seconds since the epoch at power-on (the RTC). */
  readonly rtcBase: number;
  readonly hz: number;

  constructor(rtcBase: number, hz: number) {
    this.rtcBase = rtcBase;
    this.hz = hz;
  }

  advance(ns: number): void {
    this.ns += ns;
  }

  get jiffies(): number {
    return Math.floor((this.ns * this.hz) / 1e9);
  }

  /** Seconds since the epoch now (for date, the RTC and file times). */
  get realtime(): number {
    return this.rtcBase + this.ns / 1e9;
  }
}
