/*
 * devices.ts - /proc/devices (Linux fs/proc/devices.c devinfo_show): the
 * character majors (fs/char_dev.ts chrdev_show), a blank line, then the
 * block majors (block/genhd.c blkdev_show), each "%3d %s" by major.
 *
 *   Character devices:
 *     1 mem
 *     5 /dev/tty
 *   ...
 *
 *   Block devices:
 *   254 virtblk
 *   259 blkext
 */

import type { Kernel } from "../../kernel.js";
import { chrdev_show } from "../char_dev.js";

export function devices_show(k: Kernel): string {
  const blk = [...k.vfs.major_names.entries()].sort((a, b) => a[0] - b[0]);
  return `Character devices:\n${chrdev_show(k)}\nBlock devices:\n${blk
    .map(([major, name]) => `${String(major).padStart(3)} ${name}\n`)
    .join("")}`;
}
