/*
 * The root filesystem on a disk (root=/dev/vda): the machine gets no
 * initramfs and a virtio disk holding an ext2 image of rootfs/, the kernel
 * mounts it at / with the messages of 6.1's do_mounts.c and ext4 driver,
 * programs run from its page cache (major faults first, minor after),
 * metadata sits in the device's cache (Buffers), writes stay on the disk
 * image of the session and never reach the host's rootfs/.
 * Invariants after every line.
 */

import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build_ext2_image, ext2_image_capacity } from "../../../src/host/ext2_image.js";
import { default_rootfs_dir, IMAGE_MTIME, load_rootfs } from "../../../src/host/rootfs.js";
import { DiskImage } from "../../../src/hw/disk.js";
import { PlainSession } from "../../../src/plain/run.js";

const MiB = 2 ** 20;

function session(append: string, disks: number[] = [], bootLog = false) {
  const s = new PlainSession({ machine: "vexpress-a9", append, disks, bootLog });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  return { s, run };
}

/** A hash of everything under the host's rootfs/: names, modes, contents, link targets. */
function host_rootfs_hash(): string {
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      h.update(`${p} ${st.mode} ${st.size} ${st.mtimeMs}\n`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(default_rootfs_dir());
  return h.digest("hex");
}

const BOOT_TAIL = `[    3.138140] virtio_blk virtio0: 1/0/0 default/read/poll queues
[    3.150140] virtio_blk virtio0: [vda] 131072 512-byte logical blocks (67.1 MB/64.0 MiB)
[    3.162140] zram: Added device: zram0
[    3.162140] EXT4-fs (vda): mounting ext2 file system using the ext4 subsystem
[    3.162140] EXT4-fs (vda): mounted filesystem without journal. Quota mode: none.
[    3.162140] VFS: Mounted root (ext2 filesystem)%RO% on device 254:0.
[    3.162140] Freeing unused kernel image (initmem) memory: 2048K
[    3.537591] Checked W+X mappings: passed, no W+X pages found
[    3.537976] Run /sbin/init as init process

Please press Enter to activate this console. `;

const MOUNTS = `/dev/root / ext2 %RO%,relatime 0 0
proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw,relatime 0 0
devtmpfs /dev devtmpfs rw,relatime,size=501148k,nr_inodes=125287,mode=755 0 0
tmpfs /tmp tmpfs rw,relatime 0 0
`;

describe("root=/dev/vda", () => {
  it.each([
    ["root=/dev/vda rw", "", "rw"],
    ["root=/dev/vda", " readonly", "ro"],
  ])("%s: the disk is mounted at / as 6.1 does it, with no initramfs", (append, ro, opt) => {
    const { s, run } = session(append, [], true);
    const boot = s.take();
    expect(boot.slice(boot.indexOf("[    3.138140]"))).toBe(BOOT_TAIL.replace("%RO%", ro));
    expect(boot).not.toMatch(/initramfs|initrd/);
    expect(run("cat /proc/mounts")).toBe(MOUNTS.replace("%RO%", opt));
    expect(run("df /")).toBe(
      "Filesystem           1K-blocks      Used Available Use% Mounted on\n" +
        "/dev/root                63472      5444     54752   9% /\n",
    );
  });

  it("read-only by default: changes fail with EROFS until / is remounted rw", () => {
    const { run } = session("root=/dev/vda");
    expect(run("echo hi > /root/x")).toBe("sh: can't create /root/x: Read-only file system\n");
    expect(run("mkdir /a")).toBe("mkdir: can't create directory '/a': Read-only file system\n");
    expect(run("rm /etc/inittab")).toBe("rm: can't remove '/etc/inittab': Read-only file system\n");
    expect(run("touch /bin/busybox")).toBe("touch: /bin/busybox: Read-only file system\n");
    expect(run("mount -o remount,rw /; echo hi > /root/x; cat /root/x")).toBe("hi\n");
    expect(run("head -1 /proc/mounts")).toBe("/dev/root / ext2 rw,relatime 0 0\n");
  });

  it("programs run from the disk's page cache: major faults at first, minor ones after", () => {
    const { run } = session("root=/dev/vda rw");
    // init, rcS and the shell brought the pages of /bin/busybox they use in from the disk.
    expect(run("grep pgmajfault /proc/vmstat")).toBe("pgmajfault 8\n");
    // minflt cminflt majflt cmajflt of cut, which ash runs in the child it forked (a NOEXEC applet:
    // no exec, its code faults in there): its own code was not in the cache yet, the second time it is.
    const stat = "cut -d' ' -f10-13 /proc/self/stat";
    expect(run(stat)).toBe("14 0 1 0\n");
    expect(run(stat)).toBe("15 0 0 0\n");
    expect(run("grep pgmajfault /proc/vmstat")).toBe("pgmajfault 9\n");
    // From an initramfs the same pages are tmpfs pages: never a major fault.
    const initramfs = session("");
    expect(initramfs.run(stat)).toBe("15 0 0 0\n");
    expect(initramfs.run("grep pgmajfault /proc/vmstat")).toBe("pgmajfault 0\n");
  });

  it("reads fill Cached (file pages) and Buffers (metadata); drop_caches empties them", () => {
    const { run } = session("root=/dev/vda rw");
    const meminfo = "grep -E '^(Buffers|Cached)' /proc/meminfo";
    expect(run(meminfo)).toBe("Buffers:              68 kB\nCached:             1068 kB\n");
    expect(run("cat /bin/busybox > /dev/null")).toBe("");
    expect(run(meminfo)).toBe("Buffers:              68 kB\nCached:             1944 kB\n");
    // Directories and inode tables are metadata: they come through the device's cache.
    expect(run("ls -R /usr > /dev/null")).toBe("");
    expect(run(meminfo)).toBe("Buffers:              84 kB\nCached:             1944 kB\n");
    expect(run("echo 1 > /proc/sys/vm/drop_caches")).toMatch(/drop_caches: 1\n$/);
    // What stays is mapped by the running programs (busybox's text) or dirty.
    expect(run(meminfo)).toBe("Buffers:               8 kB\nCached:             1000 kB\n");
  });

  it("written files survive dropped caches on the session's disk, never on the host", () => {
    const before = host_rootfs_hash();
    const { s, run } = session("root=/dev/vda rw");
    expect(run("echo persistent > /root/note; mkdir /var/x; cp /etc/init.d/rcS /var/x/; sync")).toBe("");
    expect(run("echo 3 > /proc/sys/vm/drop_caches")).toMatch(/drop_caches: 3\n$/);
    expect(run("cat /root/note; ls /var/x; tail -1 /var/x/rcS")).toBe(
      "persistent\nrcS\nmount -t tmpfs tmpfs /tmp\n",
    );
    // The disk image holds the bytes.
    const disk = s.m.k.hw_root_disk!;
    let found = false;
    for (let i = 0; i < disk.capacity / 4096 && !found; i++)
      found = new TextDecoder().decode(disk.page_bytes(i) ?? new Uint8Array(0)).startsWith("persistent\n");
    expect(found).toBe(true);
    expect(host_rootfs_hash()).toBe(before);
    // A new machine starts from rootfs/ again.
    expect(session("root=/dev/vda rw").run("cat /root/note")).toBe(
      "cat: can't open '/root/note': No such file or directory\n",
    );
  });

  it("--disk disks follow the root disk: vdb, vdc", () => {
    const { run } = session("root=/dev/vda rw", [32 * MiB, 16 * MiB]);
    expect(run("cat /proc/partitions")).toBe(
      "major minor  #blocks  name\n\n" +
        " 254        0      65536 vda\n" +
        " 254       16      16384 vdb\n" +
        " 254       32      32768 vdc\n",
    );
  });

  it.each([
    [
      "root=/dev/vdb",
      `[    3.186140] List of all partitions:
[    3.186140] fe00           65536 vda${" "}
[    3.186140]  driver: virtio_blk
[    3.186140] fe10           32768 vdb${" "}
[    3.186140]  driver: virtio_blk
[    3.186140] No filesystem could mount root, tried:${" "}
[    3.186140]  ext2
[    3.186140]${" "}
[    3.186140] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(254,16)
`,
    ],
    [
      "root=/dev/sda",
      `[    3.186140] VFS: Cannot open root device "sda" or unknown-block(0,0): error -6
[    3.186140] Please append a correct "root=" boot option; here are the available partitions:
[    3.186140] fe00           65536 vda${" "}
[    3.186140]  driver: virtio_blk
[    3.186140] fe10           32768 vdb${" "}
[    3.186140]  driver: virtio_blk
[    3.186140] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)
`,
    ],
  ])("%s: no root filesystem there is a panic, as in Linux", (append, tail) => {
    const { s } = session(append, [32 * MiB]);
    const out = s.take();
    const from = out.indexOf("[    3.186140]", out.indexOf("zram0"));
    expect(out.slice(from, out.indexOf("[    3.186140] ---[ end"))).toBe(tail);
  });

  it("the image is the same bit for bit each time it is built", () => {
    const image = load_rootfs();
    const a = new DiskImage(ext2_image_capacity(image));
    const b = new DiskImage(ext2_image_capacity(image));
    build_ext2_image(image, IMAGE_MTIME, a);
    build_ext2_image(image, IMAGE_MTIME, b);
    expect(a.capacity).toBe(64 * MiB);
    let same = true;
    for (let i = 0; i < a.capacity / 4096; i++) {
      const x = a.page_bytes(i);
      const y = b.page_bytes(i);
      if (
        a.tag(i) !== b.tag(i) ||
        (x === null) !== (y === null) ||
        (x && y && !x.every((v, j) => v === y[j]))
      )
        same = false;
    }
    expect(same).toBe(true);
  });
});
