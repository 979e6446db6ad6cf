/*
 * Watermark boosting: after a fallback boosted a zone's watermarks, kswapd
 * wakes even on a balanced node, reclaims the boost's worth of clean cache
 * without swapping, and takes the boost off the zone again (balance_pgdat).
 */

import { describe, expect, it } from "vitest";
import { PlainSession } from "../../../src/plain/run.js";
import { procNums } from "../../helpers/machine.js";

const MiB = 2 ** 20;

const nums = procNums;

/** The numbers of one zone in /proc/zoneinfo. */
function zoneinfo(text: string, name: string): Record<string, number> {
  const z = text.split(/^Node 0, zone +/m).find((s) => s.startsWith(`${name}\n`))!;
  return nums(z.replace(/^ +pages free/m, "free"));
}

describe("watermark boost", () => {
  it("makes kswapd reclaim the boost without swapping, then decays to 0", () => {
    const s = new PlainSession({ machine: "vexpress-a9", memory: 1024 * MiB, disks: [512 * MiB, 512 * MiB] });
    const run = (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
    run("mkswap /dev/vdb > /dev/null; swapon /dev/vdb");
    run("exec 3</dev/vda");
    run("dd if=/dev/vda of=/dev/null bs=1M count=200 2>/dev/null");
    const k = s.m.k;
    const zone = k.zones.find((z) => z.name === "DMA")!;
    const v0 = nums(run("cat /proc/vmstat"));
    // What steal_suitable_fallback does: boost_watermark, then rmqueue wakes kswapd.
    zone.watermark_boost = k.pageblock_nr_pages;
    k.mm_hooks.wakeup_kswapd(k, zone, 0, 0, zone.zone_idx);
    run("sleep 1");
    const v = nums(run("cat /proc/vmstat"));
    expect(zoneinfo(run("cat /proc/zoneinfo"), "DMA").boost).toBe(0);
    expect(v.pageoutrun - v0.pageoutrun).toBeGreaterThan(0);
    expect(v.pgsteal_kswapd - v0.pgsteal_kswapd).toBeGreaterThanOrEqual(k.pageblock_nr_pages);
    expect(v.pgsteal_file - v0.pgsteal_file).toBe(v.pgsteal_kswapd - v0.pgsteal_kswapd);
    expect(v.pswpout).toBe(0);
  });
});
