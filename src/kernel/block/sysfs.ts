/*
 * sysfs.ts - /sys/block: one directory per disk (block/genhd.c disk_attrs):
 * size in sectors, dev, removable, ro, stat, queue/rotational, and what
 * the driver adds (zram's disksize, mm_stat...).
 */

import { dir, file, type ProcEntry } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import type { BlockDevice } from "./genhd.js";
import { stat_show } from "./genhd.js";
import { zram_sysfs } from "./zram.js";

function disk_dir(bd: BlockDevice): ProcEntry {
  const generic: ProcEntry[] = [
    file("dev", () => `${bd.major}:${bd.minor}\n`),
    file("removable", () => "0\n"),
    file("ro", () => "0\n"),
    file("size", () => `${bd.nr_sectors}\n`),
    dir("queue", [
      file("rotational", () => `${bd.rotational ? 1 : 0}\n`),
      file("logical_block_size", () => "512\n"),
    ]),
  ];
  const extra = bd.name.startsWith("zram") ? zram_sysfs(bd) : [file("stat", () => stat_show(bd))];
  const entries = [...generic, ...extra];
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  return dir(bd.name, entries);
}

export function block_sysfs_entries(k: Kernel): ProcEntry[] {
  return [...k.vfs.blkdevs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(disk_dir);
}
