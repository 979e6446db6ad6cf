/*
 * virtio_blk.ts - the disks of the machine (Linux drivers/block/virtio_blk.c
 * and the transports it sits on: virtio-pci on the pc, virtio-mmio on the
 * ARM boards).
 *
 * Each --disk is a disk image the emulator hands the guest (hw/disk.ts),
 * empty at power on; with root=/dev/vda one more holds the root filesystem
 * and is wired to probe first. Which transport a disk gets decides its
 * name, as it does under QEMU:
 *
 *   pc           PCI slots 00:04.0, 00:05.0, ... in command-line order;
 *                one request queue per CPU ("2/0/0 default/read/poll").
 *   vexpress-a9  the board's 4 virtio-mmio transports, filled from the top
 *                (0x10013600 down) while Linux probes them from the bottom,
 *                so the last --disk is vda (the reference shows it: its
 *                second -drive is vda). One queue.
 *   virt         32 virtio-mmio transports at 0x0a000000; QEMU lists them so
 *                that the first --disk is vda. One queue.
 *
 * Disks are named vda, vdb, ... (virtblk_name_format) with 16 minors each
 * (PART_BITS 4), under a dynamic major ("virtblk", 254: the first taken).
 * A transfer costs a request latency plus the bytes at the disk's rate; the
 * disk is rotational as far as the kernel knows (virtio-blk does not say it
 * is not), so swap on it is "FS", not "SSFS".
 */

import type { DiskImage } from "../../hw/disk.js";
import { this_cpu } from "../irq/ipi.js";
import { generic_handle_irq } from "../irq/irqdesc.js";
import type { Kernel } from "../kernel.js";
import { KERN_INFO } from "../lib/printk.js";
import { STRING_UNITS_2, STRING_UNITS_10, string_get_size } from "../lib/string_helpers.js";
import { BLOCK_SOFTIRQ, raise_softirq } from "../softirq.js";
import { add_disk, BlockDevice, type BlockDeviceOps, register_blkdev, SECTOR_SIZE } from "./genhd.js";
import { PAGE_NS, REQUEST_NS } from "./virtio_blk_types.js";

const PART_BITS = 4;
const VEXPRESS_TRANSPORTS = 4;
const VIRT_TRANSPORTS = 32;

/** A disk as the machine wires it: its medium, and where it sits. */
export interface VirtioDisk {
  bytes: number;
  image: DiskImage;
  /** pc: the PCI slot; ARM: the index of its virtio-mmio transport. */
  slot: number;
}

/**
 * The disks in the order Linux probes them (virtio0, virtio1, ...: vda,
 * vdb, ...). The root disk of root=/dev/vda is given to QEMU where it probes
 * first: the first -drive, or on vexpress-a9 the last one.
 */
export function virtio_disks(k: Kernel): VirtioDisk[] {
  const arch = k.profile.arch;
  const root = k.hw_root_disk;
  const extra = k.hw_disks.slice(0, k.profile.maxDisks - (root ? 1 : 0));
  const drives = root ? (arch === "arm" ? [...extra, root] : [root, ...extra]) : extra;
  const disk = (image: DiskImage, slot: number): VirtioDisk => ({ bytes: image.capacity, image, slot });
  if (arch === "x86_64") return drives.map((d, i) => disk(d, 4 + i));
  const n = arch === "arm" ? VEXPRESS_TRANSPORTS : VIRT_TRANSPORTS;
  // Disk i sits on transport n-1-i; probing goes up the addresses.
  const placed = drives.map((d, i) => disk(d, n - 1 - i));
  placed.sort((a, b) => a.slot - b.slot);
  // QEMU's virt lists its transports backwards in the device tree: the probe order is reversed again.
  return arch === "arm" ? placed : placed.reverse();
}

/** The base address of an ARM disk's virtio-mmio transport. */
export function mmio_base(arch: string, slot: number): number {
  return (arch === "arm" ? 0x10013000 : 0x0a000000) + 0x200 * slot;
}

/** virtblk_name_format: vda..vdz, vdaa..vdzz, ... */
export function virtblk_name(index: number): string {
  let name = "";
  let i = index;
  do {
    name = String.fromCharCode(97 + (i % 26)) + name;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return `vd${name}`;
}

/** The driver moves whole pages to and from the medium (hw/disk.ts); cost() is the latency model. */
const virtblk_ops: BlockDeviceOps = {
  read_page(_k, bd, index) {
    const d = bd.private_data as DiskImage;
    const tag = d.tag(index);
    if (tag === 0) return null;
    return { tag, bytes: d.page_bytes(index) };
  },
  write_page(_k, bd, index, data) {
    (bd.private_data as DiskImage).write_page(index, data.tag, data.bytes);
    return 0;
  },
  write_page_tag(_k, bd, index, tag, bytes) {
    const d = bd.private_data as DiskImage;
    if (bytes === null) d.write_tag(index, tag | 0);
    else d.write_page(index, tag, bytes);
    return 0;
  },
  discard(_k, bd, index) {
    (bd.private_data as DiskImage).discard(index);
  },
  cost(_bd, pages) {
    return REQUEST_NS + pages * PAGE_NS;
  },
  complete: virtblk_done,
};

/**
 * vring_interrupt + virtblk_done: the request's queue interrupts. On the pc
 * each CPU submits to its own queue, whose vector is bound to it; the
 * virtio-mmio disks have one queue, interrupting CPU 0. With a single
 * hardware queue, blk_mq_complete_request finishes the request in
 * BLOCK_SOFTIRQ on that CPU; with one per CPU, in the interrupt itself.
 */
function virtblk_done(k: Kernel, bd: BlockDevice): void {
  const queues = k.irq.virtio_queues[bd.minor >> PART_BITS];
  if (!queues) return;
  const q = queues.length > 1 ? queues[this_cpu(k) % queues.length] : queues[0];
  const cpu = Math.max(0, q.cpu);
  generic_handle_irq(k, q, cpu);
  if (queues.length === 1) raise_softirq(k, BLOCK_SOFTIRQ, cpu);
}

/** virtio_blk_init and the probe of each disk, with the lines they log. */
export function virtio_blk_init(k: Kernel): void {
  const major = register_blkdev(k, "virtblk");
  const disks = virtio_disks(k);
  if (disks.length === 0) return;
  const arch = k.profile.arch;
  // Loading the module and bringing the devices up takes a while on the emulated machine.
  k.clock.advance(220_000_000);
  if (arch === "x86_64") {
    // The PCI interrupt links the slots route to (PIIX: slot s, INTA -> link (s - 1) & 3).
    const irq = [10, 10, 11, 11];
    const links = new Set<number>();
    for (const d of disks) {
      const link = (d.slot - 1) & 3;
      if (links.has(link)) continue;
      links.add(link);
      k.printk.printk(KERN_INFO, `ACPI: \\_SB_.LNK${"ABCD"[link]}: Enabled at IRQ ${irq[link]}`);
      k.clock.advance(44_000_000);
    }
  }
  const queues = arch === "x86_64" ? k.nr_cpu_ids : 1;
  disks.forEach((d, i) => {
    const bd = new BlockDevice(virtblk_name(i), major, i << PART_BITS, virtblk_ops);
    bd.rotational = true;
    bd.nr_sectors = Math.floor(d.bytes / SECTOR_SIZE);
    bd.private_data = d.image;
    const dev = `virtio_blk virtio${i}`;
    k.printk.printk(KERN_INFO, `${dev}: ${queues}/0/0 default/read/poll queues`);
    k.clock.advance(12_000_000);
    const size10 = string_get_size(bd.nr_sectors, SECTOR_SIZE, STRING_UNITS_10);
    const size2 = string_get_size(bd.nr_sectors, SECTOR_SIZE, STRING_UNITS_2);
    k.printk.printk(
      KERN_INFO,
      `${dev}: [${bd.name}] ${bd.nr_sectors} 512-byte logical blocks (${size10}/${size2})`,
    );
    add_disk(k, bd);
    k.clock.advance(12_000_000);
  });
}

/** The PCI enumeration lines of the pc's virtio disks (pci_setup_device, __pci_read_base). */
export function virtio_pci_lines(k: Kernel): string[] {
  const out: string[] = [];
  for (const d of virtio_disks(k)) {
    const i = d.slot - 4;
    const dev = `pci 0000:00:${String(d.slot).padStart(2, "0")}.0`;
    const io = 0xc000 + 0x80 * i;
    const mem = 0xfebf1000 + 0x1000 * i;
    const pref = 0xfe000000 + 0x4000 * i;
    out.push(
      `${dev}: [1af4:1001] type 00 class 0x010000`,
      `${dev}: BAR 0 [io  0x${io.toString(16)}-0x${(io + 0x7f).toString(16)}]`,
      `${dev}: BAR 1 [mem 0x${mem.toString(16)}-0x${(mem + 0xfff).toString(16)}]`,
      `${dev}: BAR 4 [mem 0x${pref.toString(16)}-0x${(pref + 0x3fff).toString(16)} 64bit pref]`,
    );
  }
  return out;
}

/** Where the pc's other I/O port BARs land: after the virtio disks' (SeaBIOS packs them by size). */
export function pc_io_after_virtio(k: Kernel): number {
  return 0xc000 + 0x80 * virtio_disks(k).length;
}
