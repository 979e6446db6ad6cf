/*
 * rootfs.ts - a boot image for tests whose exact numbers (free pages, page
 * cache, timings) must not move each time a lab or a `run` example is added
 * to rootfs/: everything but the contents of /root/labs and /usr/share/run.
 */

import { load_rootfs } from "../../src/host/rootfs.js";

type Image = ReturnType<typeof load_rootfs>;

let cached: Image | null = null;

export function stableRootfs(): Image {
  cached ??= load_rootfs().filter((e) => !/^\/(root\/labs|usr\/share\/run)\/./.test(e.path));
  return cached;
}
