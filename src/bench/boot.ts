/*
 * boot.ts - boot-to-prompt time in plain mode on -M pc with 1, 16 and 64 GiB
 * (and with 1 GiB from the root disk, root=/dev/vda), and host memory per
 * simulated page at 64 GiB (issue: foundation).
 */

import { Machine } from "../machine.js";
import type { Row } from "./main.js";

const GiB = 2 ** 30;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function bootOnce(gib: number, append = ""): number {
  const t0 = performance.now();
  const m = new Machine({ machine: "pc", memory: gib * GiB, transcript: true, append });
  m.boot();
  m.runUntilInput();
  m.input("\r");
  m.runUntilInput();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Heap growth of booting a 64 GiB machine, per present page (measured first, on a clean heap). */
function memoryPerPage(): [number, number, number] {
  gc();
  const before = process.memoryUsage();
  const m = new Machine({ machine: "pc", memory: 64 * GiB, transcript: true });
  m.boot();
  m.runUntilInput();
  gc();
  const after = process.memoryUsage();
  let pages = 0;
  for (const z of m.k.zones) pages += z.present_pages;
  const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  return [bytes / pages, bytes, pages];
}

export function bootSuite(): Row[] {
  const rows: Row[] = [];
  const [perPage, bytes, pages] = memoryPerPage();
  bootOnce(1); // warm up the JIT
  const times: Record<number, number> = {};
  for (const gib of [1, 16, 64]) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      gc();
      runs.push(bootOnce(gib));
    }
    times[gib] = median(runs);
    rows.push({
      what: `boot to prompt, plain, -M pc -m ${gib}G`,
      value: `${times[gib].toFixed(0)} ms`,
      target: gib === 64 ? "< 1500 ms" : "",
      ok: gib === 64 ? times[gib] < 1500 : null,
    });
  }
  // From the disk: the ext2 image of rootfs/ built, vda mounted, init read through the page cache.
  const disk: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    disk.push(bootOnce(1, "root=/dev/vda rw"));
  }
  const diskMs = median(disk);
  rows.push({
    what: "boot to prompt, plain, -M pc -m 1G, root=/dev/vda rw",
    value: `${diskMs.toFixed(0)} ms`,
    target: "within 50 ms of the initramfs boot",
    ok: diskMs < times[1] + 50,
  });
  const perGiBsmall = (times[16] - times[1]) / 15;
  const perGiBlarge = (times[64] - times[16]) / 48;
  rows.push({
    what: "boot time per extra GiB (1G->16G, 16G->64G)",
    value: `${perGiBsmall.toFixed(1)} ms, ${perGiBlarge.toFixed(1)} ms`,
    target: "no faster than linear",
    ok: perGiBlarge <= perGiBsmall * 1.5,
  });
  rows.push({
    what: "host memory per simulated page, -M pc -m 64G",
    value: `${perPage.toFixed(2)} bytes (${(bytes / 2 ** 20).toFixed(0)} MiB for ${pages} pages)`,
    target: "<= 16 bytes",
    ok: perPage <= 16,
  });
  return rows;
}
