/*
 * ext2_image.ts - the root disk of root=/dev/vda: an ext2 filesystem made
 * on the host from the rootfs image, before power-on, the way `mke2fs -d
 * rootfs/ rootfs.ext2` (or genext2fs) makes the disk file a QEMU -drive
 * boots from. The machine never sees this code run; it finds a disk that
 * holds a filesystem, which the kernel mounts (kernel/fs/ext2/super.ts).
 *
 * Geometry as mke2fs -b 4096 would make it on a disk under 512 MiB: 4 KiB
 * blocks (so each block is one page of the disk, and a file's pages are
 * the disk's pages, tags and all), 128-byte inodes, an inode per 4 KiB,
 * 5% reserved, groups of 32768 blocks, superblock backups in groups 0, 1
 * and the powers of 3, 5 and 7. Group 0 of a 64 MiB disk:
 *
 *   block 0     boot sector, superblock at byte 1024
 *   block 1     group descriptors
 *   block 2, 3  block bitmap, inode bitmap
 *   4..515      inode table (16384 inodes of 128 bytes)
 *   516..       data: the root directory, lost+found (4 blocks), then
 *               every entry of the image in its order - a directory's
 *               blocks, a file's data blocks (with its indirect blocks
 *               before the data they map), a long symlink's block
 *
 * Inodes: 2 is the root, 11 lost+found, 12.. the entries in image order.
 * Everything belongs to root; times are the image's. The same image gives
 * the same disk, bit for bit: the UUID and hash seed are a hash of the
 * image's names and sizes.
 *
 * A file whose tail is generated (InitramfsEntry.size beyond its bytes)
 * gets the same content tags initramfs.ts gives those pages, so a program
 * reads the same pages from the disk as from the initramfs.
 */

import { ext2_group_sparse, GD_SIZE } from "../kernel/fs/ext2/ext2.js";
import { type InitramfsEntry, synthetic_tag } from "../kernel/fs/initramfs.js";
import { tag_of } from "../kernel/mm/content.js";
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "../kernel/uapi/abi.js";

const BS = 4096;
const BLOCKS_PER_GROUP = 8 * BS;
const INODE_SIZE = 128;
const BYTES_PER_INODE = 4096;
const ROOT_INO = 2;
const LOST_FOUND_INO = 11;
const FIRST_INO = 11;
const LOST_FOUND_BLOCKS = 4;
const MiB = 2 ** 20;
/** The smallest root disk: room to write files in the session. */
const MIN_CAPACITY = 64 * MiB;

/** One file, directory, symlink or device node of the image, with its inode. */
interface Node {
  ino: number;
  mode: number;
  mtime: number;
  entry: InitramfsEntry | null;
  /** A directory's entries, in image order. */
  children: [string, Node][];
  i_block: number[];
  /** 512-byte sectors held. */
  sectors: number;
  size: number;
  links: number;
}

function file_type(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 1;
    case S_IFDIR:
      return 2;
    case S_IFCHR:
      return 3;
    case S_IFBLK:
      return 4;
    case 0o010000:
      return 5;
    case 0o140000:
      return 6;
    case S_IFLNK:
      return 7;
  }
  return 0;
}

const file_size = (e: InitramfsEntry): number => e.size ?? e.data?.length ?? 0;

/** The capacity a root disk needs for an image: 64 MiB, or twice the content rounded to 16 MiB. */
export function ext2_image_capacity(entries: readonly InitramfsEntry[]): number {
  let blocks = 0;
  for (const e of entries) blocks += 1 + Math.ceil(file_size(e) / BS);
  const need = 2 * blocks * BS + 8 * MiB;
  return Math.max(MIN_CAPACITY, Math.ceil(need / (16 * MiB)) * 16 * MiB);
}

/** Where the image goes: an empty disk (hw/disk.ts's DiskImage), written a page at a time. */
export interface DiskMedium {
  readonly capacity: number;
  write_page(index: number, tag: number, bytes: Uint8Array | null): void;
}

/** Lays an ext2 filesystem holding the image's entries on an empty disk. */
export function build_ext2_image(entries: readonly InitramfsEntry[], mtime: number, disk: DiskMedium): void {
  const capacity = disk.capacity;
  const nblocks = Math.floor(capacity / BS);
  const ngroups = Math.ceil(nblocks / BLOCKS_PER_GROUP);
  const gdb = Math.ceil((ngroups * GD_SIZE) / BS);
  let ipg = Math.ceil(Math.floor(capacity / BYTES_PER_INODE) / ngroups);
  ipg = Math.min(BLOCKS_PER_GROUP, Math.ceil((ipg * INODE_SIZE) / BS) * (BS / INODE_SIZE)) & ~7;
  const itb = (ipg * INODE_SIZE) / BS;
  const blocks: Map<number, Uint8Array> = new Map();
  const block = (b: number): Uint8Array => {
    let x = blocks.get(b);
    if (!x) {
      x = new Uint8Array(BS);
      blocks.set(b, x);
    }
    return x;
  };

  // Groups: where their metadata sits, their bitmaps and counters.
  const groups = Array.from({ length: ngroups }, (_, g) => {
    const start = g * BLOCKS_PER_GROUP;
    const size = Math.min(BLOCKS_PER_GROUP, nblocks - start);
    const bitmap = start + (ext2_group_sparse(g) ? 1 + gdb : 0);
    return {
      start,
      size,
      bitmap,
      itable: bitmap + 2,
      first_data: bitmap + 2 + itb,
      bmap: new Uint8Array(BS),
      imap: new Uint8Array(BS),
      dirs: 0,
      used_blocks: 0,
      used_inodes: 0,
    };
  });
  const set = (map: Uint8Array, nr: number): void => {
    map[nr >> 3] |= 1 << (nr & 7);
  };
  for (const g of groups) {
    for (let b = g.start; b < g.first_data; b++) set(g.bmap, b - g.start);
    g.used_blocks = g.first_data - g.start;
    // Bits past the end of the group (a short last group) and past the inodes are set, as mke2fs does.
    for (let i = g.size; i < BS * 8; i++) set(g.bmap, i);
    for (let i = ipg; i < BS * 8; i++) set(g.imap, i);
  }

  // Blocks are handed out in order, group after group, around each group's metadata.
  let gi = 0;
  let next = groups[0].first_data;
  const alloc_block = (): number => {
    while (next >= groups[gi].start + groups[gi].size) {
      gi++;
      if (gi >= ngroups) throw new Error("ext2_image: the rootfs image does not fit its disk");
      next = groups[gi].first_data;
    }
    const g = groups[gi];
    set(g.bmap, next - g.start);
    g.used_blocks++;
    return next++;
  };
  const use_inode = (ino: number, dir: boolean): void => {
    const g = groups[Math.floor((ino - 1) / ipg)];
    set(g.imap, (ino - 1) % ipg);
    g.used_inodes++;
    if (dir) g.dirs++;
  };
  for (let ino = 1; ino < FIRST_INO; ino++) use_inode(ino, false);

  // The tree: the root, lost+found, then the image's entries under their directories.
  const node = (ino: number, mode: number, mt: number, entry: InitramfsEntry | null): Node => ({
    ino,
    mode,
    mtime: mt,
    entry,
    children: [],
    i_block: new Array(15).fill(0),
    sectors: 0,
    size: 0,
    links: (mode & S_IFMT) === S_IFDIR ? 2 : 1,
  });
  const root = node(ROOT_INO, S_IFDIR | 0o755, mtime, null);
  const lost = node(LOST_FOUND_INO, S_IFDIR | 0o700, mtime, null);
  root.children.push(["lost+found", lost]);
  root.links++;
  const byPath = new Map<string, Node>([["", root]]);
  const order: Node[] = [root, lost];
  let ino = FIRST_INO + 1;
  for (const e of entries) {
    const path = e.path.replace(/\/+$/, "");
    if (path === "" || byPath.has(path)) continue;
    const cut = path.lastIndexOf("/");
    const parent = byPath.get(path.slice(0, cut));
    if (!parent || (parent.mode & S_IFMT) !== S_IFDIR) continue;
    const n = node(ino++, e.mode, e.mtime, e);
    parent.children.push([path.slice(cut + 1), n]);
    if ((e.mode & S_IFMT) === S_IFDIR) parent.links++;
    byPath.set(path, n);
    order.push(n);
  }
  if (ino - 1 > ipg * ngroups) throw new Error("ext2_image: more entries than inodes");
  for (const n of order) use_inode(n.ino, (n.mode & S_IFMT) === S_IFDIR);

  /** Maps a node's data blocks into i_block (12 direct, one indirect, one double indirect). */
  const map_blocks = (n: Node, count: number, fill: (i: number, b: number) => void): void => {
    const per = BS / 4;
    let ind = -1;
    let dind = -1;
    let dind_child = -1;
    for (let i = 0; i < count; i++) {
      let slot: [Uint8Array, number] | null = null;
      if (i >= 12 && i < 12 + per) {
        if (ind < 0) {
          ind = alloc_block();
          n.i_block[12] = ind;
          n.sectors += BS / 512;
        }
        slot = [block(ind), i - 12];
      } else if (i >= 12 + per) {
        const j = i - 12 - per;
        if (j >= per * per) throw new Error("ext2_image: file too large");
        if (dind < 0) {
          dind = alloc_block();
          n.i_block[13] = dind;
          n.sectors += BS / 512;
        }
        if (j % per === 0) {
          dind_child = alloc_block();
          n.sectors += BS / 512;
          new DataView(block(dind).buffer).setUint32((j / per) * 4, dind_child, true);
        }
        slot = [block(dind_child), j % per];
      }
      const b = alloc_block();
      n.sectors += BS / 512;
      if (slot) new DataView(slot[0].buffer).setUint32(slot[1] * 4, b, true);
      else n.i_block[i] = b;
      fill(i, b);
    }
  };

  /** A directory's entries packed into blocks (each entry's rec_len rounded to 4, the last one to the end). */
  const dir_blocks = (n: Node, parent: Node): Uint8Array[] => {
    const list: [string, number, number][] = [
      [".", n.ino, 2],
      ["..", parent.ino, 2],
      ...n.children.map(([name, c]): [string, number, number] => [name, c.ino, file_type(c.mode)]),
    ];
    const out: Uint8Array[] = [];
    let cur = new Uint8Array(BS);
    let off = 0;
    let last = -1;
    const enc = new TextEncoder();
    for (const [name, i, ft] of list) {
      const nb = enc.encode(name);
      const len = (8 + nb.length + 3) & ~3;
      if (off + len > BS) {
        new DataView(cur.buffer).setUint16(last + 4, BS - last, true);
        out.push(cur);
        cur = new Uint8Array(BS);
        off = 0;
      }
      const v = new DataView(cur.buffer);
      v.setUint32(off, i, true);
      v.setUint16(off + 4, len, true);
      cur[off + 6] = nb.length;
      cur[off + 7] = ft;
      cur.set(nb, off + 8);
      last = off;
      off += len;
    }
    new DataView(cur.buffer).setUint16(last + 4, BS - last, true);
    out.push(cur);
    return out;
  };

  // Data: each node's blocks, in image order (a directory's parent is laid out before it).
  const parents = new Map<Node, Node>([[root, root]]);
  for (const n of order) for (const [, c] of n.children) parents.set(c, n);
  const enc = new TextEncoder();
  for (const n of order) {
    const type = n.mode & S_IFMT;
    if (type === S_IFDIR) {
      const content = dir_blocks(n, parents.get(n)!);
      if (n === lost) while (content.length < LOST_FOUND_BLOCKS) content.push(empty_dir_block());
      map_blocks(n, content.length, (i, b) => blocks.set(b, content[i]));
      n.size = content.length * BS;
    } else if (type === S_IFREG) {
      const e = n.entry!;
      const data = e.data ?? new Uint8Array(0);
      n.size = file_size(e);
      const pages = Math.ceil(n.size / BS);
      map_blocks(n, pages, (i, b) => {
        if (i * BS < data.length) {
          const page = new Uint8Array(BS);
          page.set(data.subarray(i * BS, Math.min(data.length, (i + 1) * BS, n.size)));
          disk.write_page(b, tag_of(page), page);
        } else if (e.pages?.has(i)) {
          const page = e.pages.get(i)!;
          disk.write_page(b, tag_of(page), page);
        } else disk.write_page(b, synthetic_tag(e.path, i), null);
      });
    } else if (type === S_IFLNK) {
      const target = enc.encode(n.entry!.target ?? "");
      n.size = target.length;
      if (target.length < 60) {
        const raw = new Uint8Array(60);
        raw.set(target);
        const v = new DataView(raw.buffer);
        for (let i = 0; i < 15; i++) n.i_block[i] = v.getUint32(i * 4, true);
      } else map_blocks(n, 1, (_i, b) => block(b).set(target));
    } else {
      // Device numbers: old_encode_dev in i_block[0] when they fit, else new_encode_dev in i_block[1].
      const rdev = n.entry?.rdev ?? 0;
      const major = Math.floor(rdev / 1048576);
      const minor = rdev % 1048576;
      if (major < 256 && minor < 256) n.i_block[0] = (major << 8) | minor;
      else n.i_block[1] = ((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0;
    }
  }

  // Inodes into their group's table: the blocks holding one are written, the rest stay zeroes.
  for (const n of order) {
    const g = groups[Math.floor((n.ino - 1) / ipg)];
    const off = ((n.ino - 1) % ipg) * INODE_SIZE;
    const table = block(g.itable + Math.floor(off / BS));
    const v = new DataView(table.buffer, off % BS, INODE_SIZE);
    v.setUint16(0, n.mode, true);
    v.setUint32(4, n.size % 2 ** 32, true);
    v.setUint32(8, n.mtime, true); // i_atime
    v.setUint32(12, n.mtime, true); // i_ctime
    v.setUint32(16, n.mtime, true); // i_mtime
    v.setUint16(26, n.links, true);
    v.setUint32(28, n.sectors, true);
    n.i_block.forEach((b, i) => {
      v.setUint32(40 + 4 * i, b >>> 0, true);
    });
    if ((n.mode & S_IFMT) === S_IFREG) v.setUint32(108, Math.floor(n.size / 2 ** 32), true);
  }

  // Group descriptors, bitmaps, superblocks.
  const gd = new Uint8Array(gdb * BS);
  const gv = new DataView(gd.buffer);
  let free_blocks = 0;
  let free_inodes = 0;
  groups.forEach((g, i) => {
    const o = i * GD_SIZE;
    gv.setUint32(o, g.bitmap, true);
    gv.setUint32(o + 4, g.bitmap + 1, true);
    gv.setUint32(o + 8, g.itable, true);
    gv.setUint16(o + 12, g.size - g.used_blocks, true);
    gv.setUint16(o + 14, ipg - g.used_inodes, true);
    gv.setUint16(o + 16, g.dirs, true);
    free_blocks += g.size - g.used_blocks;
    free_inodes += ipg - g.used_inodes;
    blocks.set(g.bitmap, g.bmap);
    blocks.set(g.bitmap + 1, g.imap);
  });
  const sb = superblock(entries, mtime, {
    inodes: ipg * ngroups,
    blocks: nblocks,
    free_blocks,
    free_inodes,
    ipg,
  });
  groups.forEach((g, i) => {
    if (!ext2_group_sparse(i)) return;
    new DataView(sb.buffer).setUint16(90, i, true); // s_block_group_nr
    block(g.start).set(sb, i === 0 ? 1024 : 0);
    for (let b = 0; b < gdb; b++) blocks.set(g.start + 1 + b, gd.slice(b * BS, (b + 1) * BS));
  });

  for (const [b, bytes] of blocks) disk.write_page(b, tag_of(bytes), bytes);
}

/** An empty directory block: one unused entry spanning it. */
function empty_dir_block(): Uint8Array {
  const b = new Uint8Array(BS);
  new DataView(b.buffer).setUint16(4, BS, true);
  return b;
}

/** FNV-1a over the image's names and sizes, spread over n bytes: the UUID and hash seed. */
function image_hash_bytes(entries: readonly InitramfsEntry[], salt: string, n: number): Uint8Array {
  let h = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  };
  mix(salt);
  for (const e of entries) mix(`${e.path}:${file_size(e)}`);
  const out = new Uint8Array(n);
  let x = h >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The superblock, with the fields mke2fs sets (kernel/fs/ext2/ext2.ts has the layout). */
function superblock(
  entries: readonly InitramfsEntry[],
  mtime: number,
  c: { inodes: number; blocks: number; free_blocks: number; free_inodes: number; ipg: number },
): Uint8Array {
  const sb = new Uint8Array(1024);
  const v = new DataView(sb.buffer);
  const u32 = (off: number, x: number): void => v.setUint32(off, x >>> 0, true);
  const u16 = (off: number, x: number): void => v.setUint16(off, x & 0xffff, true);
  u32(0, c.inodes); // s_inodes_count
  u32(4, c.blocks); // s_blocks_count
  u32(8, Math.floor((c.blocks * 5) / 100)); // s_r_blocks_count
  u32(12, c.free_blocks);
  u32(16, c.free_inodes);
  u32(20, 0); // s_first_data_block
  u32(24, 2); // s_log_block_size: 4096
  u32(28, 2); // s_log_frag_size
  u32(32, BLOCKS_PER_GROUP);
  u32(36, BLOCKS_PER_GROUP); // s_frags_per_group
  u32(40, c.ipg);
  u32(44, mtime); // s_mtime
  u32(48, mtime); // s_wtime
  u16(54, 0xffff); // s_max_mnt_count: -1, no forced check
  u16(56, 0xef53); // s_magic
  u16(58, 1); // s_state: EXT2_VALID_FS
  u16(60, 1); // s_errors: EXT2_ERRORS_CONTINUE
  u32(64, mtime); // s_lastcheck
  u32(76, 1); // s_rev_level: EXT2_DYNAMIC_REV
  u32(84, FIRST_INO); // s_first_ino
  u16(88, INODE_SIZE); // s_inode_size
  u32(92, 0x0008 | 0x0020); // s_feature_compat: EXT_ATTR | DIR_INDEX
  u32(96, 0x0002); // s_feature_incompat: FILETYPE
  u32(100, 0x0001); // s_feature_ro_compat: SPARSE_SUPER
  sb.set(image_hash_bytes(entries, "uuid", 16), 104); // s_uuid
  sb.set(new TextEncoder().encode("rootfs"), 120); // s_volume_name
  sb.set(image_hash_bytes(entries, "hash_seed", 16), 236); // s_hash_seed
  sb[252] = 1; // s_def_hash_version: half MD4
  u32(264, mtime); // s_mkfs_time
  u32(352, 0x0002); // s_flags: EXT2_FLAGS_UNSIGNED_HASH
  return sb;
}
