/*
 * init.ts - the block layer at boot: /proc/partitions and the devices found
 * (zram0, the compressed RAM disk, always; virtio disks come with --disk).
 */

import { file } from "../fs/proc/generic.js";
import type { Kernel } from "../kernel.js";
import { diskstats_show, partitions_show } from "./genhd.js";
import { virtio_blk_init } from "./virtio_blk.js";
import { zram_init } from "./zram.js";

export function block_dev_init(k: Kernel): void {
  k.proc_extra.push(file("partitions", (kk) => partitions_show(kk)));
  k.proc_extra.push(file("diskstats", (kk) => diskstats_show(kk)));
  virtio_blk_init(k);
  zram_init(k);
}
