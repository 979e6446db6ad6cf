/*
 * init.ts - the block layer at boot: /proc/partitions and the devices found
 * (zram0, the compressed RAM disk, always; virtio disks come with --disk).
 */

import { file } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { diskstats_show, partitions_show } from "./genhd.js";
import { virtio_blk_init } from "./virtio_blk.js";
import { zram_init } from "./zram.js";

/** BLOCK_EXT_MAJOR: the major of minors beyond a disk's own (genhd_device_init registers it). */
export const BLOCK_EXT_MAJOR = 259;

export function block_dev_init(k: Kernel): void {
  k.vfs.major_names.set(BLOCK_EXT_MAJOR, "blkext");
  k.proc_extra.push(file("partitions", (kk) => partitions_show(kk)));
  k.proc_extra.push(file("diskstats", (kk) => diskstats_show(kk)));
  virtio_blk_init(k);
  zram_init(k);
}
