/*
 * The per-CPU swap slots cache (mm/swap_slots.c): slots are taken from the
 * areas 64 at a time, so two areas of equal priority take turns by batches
 * of 64; a freed slot waits in the CPU's return batch, still counted in
 * Used, until 64 more follow it; swapoff drains the caches.
 */

import { describe, expect, it } from "vitest";
import { get_swap_page, swapcache_free, swp_type } from "../../../src/kernel/mm/swapfile.js";
import { session } from "../../helpers/machine.js";

const MiB = 2 ** 20;

describe("the swap slots cache", () => {
  it("takes slots by batches of 64, in turn from areas of equal priority, and gives them back by batches", () => {
    const s = session({ memory: 128 * MiB, disks: [64 * MiB, 64 * MiB] });
    const run = (line: string): string => {
      s.line(line);
      s.m.checkInvariants();
      return s.take();
    };
    run(
      "mkswap /dev/vda > /dev/null; mkswap /dev/vdb > /dev/null; swapon -p 5 /dev/vda; swapon -p 5 /dev/vdb",
    );
    const used = (): string => run("tr -s ' \t' ' ' < /proc/swaps | cut -d' ' -f1,4");
    const k = s.m.k;
    const got = Array.from({ length: 192 }, () => get_swap_page(k)!);
    const a = Array(64).fill(0);
    const b = Array(64).fill(1);
    expect(got.map(swp_type)).toEqual([...a, ...b, ...a]);
    expect(used()).toBe("Filename Used\n/dev/vda 512\n/dev/vdb 256\n");
    for (const e of got) swapcache_free(k, e);
    // Two batches went back as the third filled; the last 64 freed (vda's) still wait.
    expect(used()).toBe("Filename Used\n/dev/vda 256\n/dev/vdb 0\n");
    expect(run('swapoff /dev/vdb; echo "rc=$?"')).toBe("rc=0\n");
    // swapoff drained every CPU's batches.
    expect(used()).toBe("Filename Used\n/dev/vda 0\n");
  });
});
