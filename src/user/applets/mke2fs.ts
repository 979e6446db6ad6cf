/*
 * mke2fs.ts - mke2fs / mkfs.ext2 (util-linux/mkfs_ext2.c of BusyBox 1.35):
 * lays an ext2 revision 1 filesystem on a block device, writing through
 * its /dev node (so through the device's page cache).
 *
 * Geometry as BusyBox computes it: under 512 MiB 1 KiB blocks and 128-byte
 * inodes (4 KiB blocks and 256-byte inodes above), an inode per 4 KiB of
 * disk (8 KiB under 3 MiB, 16 KiB from 512 MiB), 5% reserved, groups of
 * 8*blocksize blocks, sparse superblock backups in groups 0, 1 and the
 * powers of 3, 5 and 7, a last group too small for its overhead chopped
 * off ("warning: N blocks unused"). Each group starts
 *
 *   [superblock][group descriptors]  (groups with a backup only)
 *   [block bitmap][inode bitmap][inode table ...][data ...]
 *
 * and group 0's first data blocks are the root directory (1 block) and
 * lost+found (16 KiB of blocks), inodes 2 and 11.
 *
 * Simplified: no bad-block check, -O/-E/-T/-N/-g are taken and ignored
 * (as BusyBox ignores them).
 */

import { O_RDONLY, O_WRONLY, S_IFBLK, S_IFMT, SEEK_END, SEEK_SET } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import {
  bb_basename,
  bb_error_msg,
  bb_getopt,
  bb_perror_msg,
  bb_show_usage,
  strtou_range_sfx,
} from "../libc/libbb.js";
import { find_mount_point } from "../libc/mntent.js";
import { Writer } from "../libc/stream.js";
import { clock_gettime, close, fstat, lseek, open, read, write } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `mke2fs [-Fn] [-b BLK_SIZE] [-i INODE_RATIO] [-I INODE_SIZE] [-m RESERVED_PERCENT] [-L LABEL] BLOCKDEV [KBYTES]

\t-b BLK_SIZE\tBlock size, bytes
\t-F\t\tForce
\t-i RATIO\tMax number of files is filesystem_size / RATIO
\t-I BYTES\tInode size (min 128)
\t-L LBL\t\tVolume label
\t-m PERCENT\tPercent of blocks to reserve for admin
\t-n\t\tDry run`;

const EXT2_MIN_BLOCK_SIZE = 1024;
const EXT2_MAX_BLOCK_SIZE = 65536;
const EXT2_GOOD_OLD_FIRST_INO = 11;
const EXT2_ROOT_INO = 2;
const EXT2_NDIR_BLOCKS = 12;
const EXT2_FT_DIR = 2;
const GD_SIZE = 32;
const INODE_SIZE_OLD = 128;

/** Groups holding a superblock backup (sparse_super): 0, 1 and powers of 3, 5, 7. */
export function has_super(x: number): boolean {
  if (x <= 1) return true;
  for (const b of [3, 5, 7]) {
    let p = b;
    while (p < x) p *= b;
    if (p === x) return true;
  }
  return false;
}

const div_roundup = (size: number, n: number): number => Math.ceil(size / n);

/** allocate(): the first `start` bits set, and the last `end` bits of the block. */
function allocate(bitmap: Uint8Array, start: number, end: number): void {
  bitmap.fill(0);
  const bs = bitmap.length;
  for (let i = 0; i < start; i++) bitmap[i >> 3] |= 1 << (i & 7);
  for (let i = bs * 8 - end; i < bs * 8; i++) bitmap[i >> 3] |= 1 << (i & 7);
}

function* put(fd: number, off: number, buf: Uint8Array): UserGen<number> {
  yield* lseek(fd, off, SEEK_SET);
  return yield* write(fd, buf);
}

function* random_bytes(n: number): UserGen<Uint8Array> {
  const fd = yield* open("/dev/urandom", O_RDONLY);
  const r = fd >= 0 ? yield* read(fd, n) : new Uint8Array(n);
  if (fd >= 0) yield* close(fd);
  return typeof r === "number" ? new Uint8Array(n) : r;
}

/** generate_uuid: 16 random bytes made a version 4 UUID. */
function* generate_uuid(): UserGen<Uint8Array> {
  const u = yield* random_bytes(16);
  u[6] = (u[6] & 0x0f) | 0x40;
  u[8] = (u[8] & 0x3f) | 0x80;
  return u;
}

function* mke2fs_main(argv: string[]): UserGen<number> {
  const applet = bb_basename(argv[0]);
  const o = yield* bb_getopt(argv, "cl:b:f:i:I:J:G:N:m:o:g:L:M:O:r:E:T:U:jnqvFS", USAGE);
  if (!o) return 1;
  if (o.rest.length < 1) return yield* bb_show_usage(USAGE);
  const num = function* (key: string, dflt: number): UserGen<number | null> {
    const s = o.arg(key);
    if (s === undefined) return dflt;
    const r = strtou_range_sfx(s, 10, 0, 4294967295, []);
    if (!r.ok) {
      yield* bb_error_msg(applet, r.msg);
      return null;
    }
    return r.value;
  };
  const bs = yield* num("b", 0);
  const bpi = yield* num("i", 0);
  const user_inodesize = yield* num("I", 0);
  const reserved_percent = yield* num("m", 5);
  if (bs === null || bpi === null || user_inodesize === null || reserved_percent === null) return 1;
  const label = o.arg("L") ?? "";
  const dev = o.rest[0];
  const fd = yield* open(dev, O_WRONLY);
  if (fd < 0) {
    yield* bb_perror_msg(applet, `can't open '${dev}'`, fd);
    return 1;
  }
  const st = yield* fstat(fd);
  if (typeof st === "number" || ((st.st_mode & S_IFMT) !== S_IFBLK && !o.has("F"))) {
    yield* bb_error_msg(applet, `${dev}: not a block device`);
    return 1;
  }
  if (yield* find_mount_point(dev)) {
    yield* bb_error_msg(applet, "can't format mounted filesystem");
    return 1;
  }
  // get_volume_size_in_bytes: KBYTES if given, else the device's size.
  let kilobytes: number;
  if (o.rest[1] !== undefined) {
    const r = strtou_range_sfx(o.rest[1], 10, 0, Number.MAX_SAFE_INTEGER, []);
    if (!r.ok) {
      yield* bb_error_msg(applet, r.msg);
      return 1;
    }
    kilobytes = r.value;
  } else kilobytes = Math.floor((yield* lseek(fd, 0, SEEK_END)) / 1024);

  let bytes_per_inode = 16384;
  if (kilobytes < 512 * 1024) bytes_per_inode = 4096;
  if (kilobytes < 3 * 1024) bytes_per_inode = 8192;
  if (o.has("i")) bytes_per_inode = bpi;

  let blocksize = 1024;
  let inodesize = INODE_SIZE_OLD;
  if (kilobytes >= 512 * 1024) {
    blocksize = 4096;
    inodesize = 256;
  }
  while (Math.floor(kilobytes / 2 ** 22) >= blocksize) blocksize *= 2;
  if (o.has("b")) blocksize = bs;
  if (blocksize < EXT2_MIN_BLOCK_SIZE || blocksize > EXT2_MAX_BLOCK_SIZE || blocksize & (blocksize - 1)) {
    yield* bb_error_msg(applet, `blocksize ${blocksize} is bad`);
    return 1;
  }
  if (o.has("I")) {
    if (
      user_inodesize < INODE_SIZE_OLD ||
      user_inodesize > blocksize ||
      user_inodesize & (user_inodesize - 1)
    )
      yield* bb_error_msg(applet, "-I is bad");
    else inodesize = user_inodesize;
  }
  if (bytes_per_inode < blocksize) {
    yield* bb_error_msg(applet, "-i is bad");
    return 1;
  }
  const blocks_per_group = 8 * blocksize;
  const first_block = blocksize === EXT2_MIN_BLOCK_SIZE ? 1 : 0;
  const log = Math.log2(blocksize) - 10;
  let nblocks = Math.floor(kilobytes / 2 ** log);
  if (nblocks > 0xffffffff) {
    yield* bb_error_msg(applet, "block count doesn't fit in 32 bits");
    return 1;
  }
  if (nblocks < 60) {
    yield* bb_error_msg(applet, "need >= 60 blocks");
    return 1;
  }
  if (reserved_percent > 50) {
    yield* bb_error_msg(applet, "-m is bad");
    return 1;
  }
  const nreserved = Math.floor((nblocks * reserved_percent) / 100);
  const nblocks_full = nblocks;
  const lost_and_found_blocks = Math.min(EXT2_NDIR_BLOCKS, 16 >> log);
  let ngroups: number;
  let group_desc_blocks: number;
  let inodes_per_group: number;
  let inode_table_blocks: number;
  // If the last group is too small for its overhead, it is dropped and the geometry recomputed.
  for (;;) {
    ngroups = div_roundup(nblocks - first_block, blocks_per_group);
    group_desc_blocks = div_roundup(ngroups, blocksize / GD_SIZE);
    let ninodes = Math.floor((nblocks_full * blocksize) / bytes_per_inode);
    if (ninodes < EXT2_GOOD_OLD_FIRST_INO + 1) ninodes = EXT2_GOOD_OLD_FIRST_INO + 1;
    inodes_per_group = Math.max(16, div_roundup(ninodes, ngroups));
    if (inodes_per_group > blocks_per_group) inodes_per_group = blocks_per_group;
    inodes_per_group = Math.floor(
      (div_roundup(inodes_per_group * inodesize, blocksize) * blocksize) / inodesize,
    );
    inodes_per_group &= ~7;
    inode_table_blocks = div_roundup(inodes_per_group * inodesize, blocksize);
    const overhead = (has_super(ngroups - 1) ? 1 + group_desc_blocks : 0) + 1 + 1 + inode_table_blocks;
    const remainder = (nblocks - first_block) % blocks_per_group;
    if (remainder && remainder < overhead + 50) {
      nblocks -= remainder;
      continue;
    }
    break;
  }

  const out = yield* Writer.open(1);
  if (nblocks_full - nblocks) yield* out.puts(`warning: ${nblocks_full - nblocks} blocks unused\n\n`);
  let text =
    `Filesystem label=${label}\n` +
    "OS type: Linux\n" +
    `Block size=${blocksize} (log=${log})\n` +
    `Fragment size=${blocksize} (log=${log})\n` +
    `${inodes_per_group * ngroups} inodes, ${nblocks} blocks\n` +
    `${nreserved} blocks (${reserved_percent}%) reserved for the super user\n` +
    `First data block=${first_block}\n` +
    `Maximum filesystem blocks=${group_desc_blocks * (blocksize / GD_SIZE) * blocks_per_group}\n` +
    `${ngroups} block groups\n` +
    `${blocks_per_group} blocks per group, ${blocks_per_group} fragments per group\n` +
    `${inodes_per_group} inodes per group`;
  let sep = "\nSuperblock backups stored on blocks:\n\t";
  for (let i = 1, pos = first_block; i < ngroups; i++) {
    pos += blocks_per_group;
    if (has_super(i)) {
      text += `${sep}${pos}`;
      sep = ", ";
    }
  }
  yield* out.puts(`${text}\n`);
  yield* out.flush();
  if (o.has("n")) {
    yield* close(fd);
    return 0;
  }

  // The superblock.
  const timestamp = Math.floor((yield* clock_gettime(0)) / 1e9);
  const sb = new Uint8Array(1024);
  const sv = new DataView(sb.buffer);
  const u32 = (v: DataView, off: number, x: number) => v.setUint32(off, x >>> 0, true);
  const u16 = (v: DataView, off: number, x: number) => v.setUint16(off, x & 0xffff, true);
  u32(sv, 0, inodes_per_group * ngroups); // s_inodes_count
  u32(sv, 4, nblocks); // s_blocks_count
  u32(sv, 8, nreserved); // s_r_blocks_count
  u32(sv, 16, inodes_per_group * ngroups - EXT2_GOOD_OLD_FIRST_INO); // s_free_inodes_count
  u32(sv, 20, first_block);
  u32(sv, 24, log); // s_log_block_size
  u32(sv, 28, log); // s_log_frag_size
  u32(sv, 32, blocks_per_group);
  u32(sv, 36, blocks_per_group); // s_frags_per_group
  u32(sv, 40, inodes_per_group);
  u32(sv, 48, timestamp); // s_wtime
  u16(sv, 56, 0xef53); // s_magic
  u16(sv, 58, 1); // s_state: EXT2_VALID_FS
  u16(sv, 60, 1); // s_errors: EXT2_ERRORS_CONTINUE
  u32(sv, 64, timestamp); // s_lastcheck
  u32(sv, 68, 24 * 60 * 60 * 180); // s_checkinterval
  u32(sv, 76, 1); // s_rev_level: EXT2_DYNAMIC_REV
  u32(sv, 84, EXT2_GOOD_OLD_FIRST_INO); // s_first_ino
  u16(sv, 88, inodesize); // s_inode_size
  u32(sv, 92, 0x0008 | 0x0020); // s_feature_compat: EXT_ATTR | DIR_INDEX
  u32(sv, 96, 0x0002); // s_feature_incompat: FILETYPE
  u32(sv, 100, 0x0001); // s_feature_ro_compat: SPARSE_SUPER
  const uuid = yield* generate_uuid();
  sb.set(uuid, 104);
  sb.set(new TextEncoder().encode(label).subarray(0, 15), 120); // s_volume_name
  sb.set(yield* generate_uuid(), 236); // s_hash_seed
  sb[252] = 1; // s_def_hash_version: half MD4
  u32(sv, 264, timestamp); // s_mkfs_time
  if (inodesize !== INODE_SIZE_OLD) {
    u16(sv, 348, 28); // s_min_extra_isize
    u16(sv, 350, 28); // s_want_extra_isize
  }
  u32(sv, 352, 0x0002); // s_flags: EXT2_FLAGS_UNSIGNED_HASH
  u16(sv, 54, 20 + (uuid[15] % 20)); // s_max_mnt_count, with the UUID's jitter

  // Group descriptors and bitmaps.
  const gd = new Uint8Array(group_desc_blocks * blocksize);
  const gv = new DataView(gd.buffer);
  const buf = new Uint8Array(blocksize);
  let free_total = 0;
  for (let i = 0, pos = first_block, n = nblocks - first_block; i < ngroups; i++) {
    const bitmap_block = pos + (has_super(i) ? 1 + group_desc_blocks : 0);
    let overhead = bitmap_block;
    const g = i * GD_SIZE;
    u32(gv, g, overhead); // bg_block_bitmap
    u32(gv, g + 4, overhead + 1); // bg_inode_bitmap
    u32(gv, g + 8, overhead + 2); // bg_inode_table
    overhead = overhead - pos + 2 + inode_table_blocks;
    let free_inodes = inodes_per_group;
    if (i === 0) {
      overhead += 1 + lost_and_found_blocks;
      u16(gv, g + 16, 2); // bg_used_dirs_count
      free_inodes -= EXT2_GOOD_OLD_FIRST_INO;
    }
    const free_blocks = Math.min(n, blocks_per_group) - overhead;
    allocate(buf, overhead, blocks_per_group - (free_blocks + overhead));
    yield* put(fd, bitmap_block * blocksize, buf);
    u16(gv, g + 12, free_blocks);
    allocate(buf, inodes_per_group - free_inodes, blocks_per_group - inodes_per_group);
    yield* write(fd, buf);
    u16(gv, g + 14, free_inodes);
    free_total += free_blocks;
    pos += blocks_per_group;
    n -= blocks_per_group;
  }
  u32(sv, 12, free_total); // s_free_blocks_count

  for (let i = 0, pos = first_block; i < ngroups; i++, pos += blocks_per_group) {
    if (!has_super(i)) continue;
    u16(sv, 90, i); // s_block_group_nr
    yield* put(fd, pos * blocksize + (i === 0 && blocksize !== 1024 ? 1024 : 0), sb);
    yield* put(fd, pos * blocksize + blocksize, gd);
  }
  u16(sv, 90, 0);
  // Zero boot sectors and the inode tables.
  buf.fill(0);
  yield* put(fd, 0, buf.subarray(0, 1024));
  const itable = (i: number): number => gv.getUint32(i * GD_SIZE + 8, true);
  for (let i = 0; i < ngroups; i++)
    yield* put(fd, itable(i) * blocksize, new Uint8Array(inode_table_blocks * blocksize));

  // The root directory and lost+found inodes.
  const ino = new Uint8Array(inodesize);
  const iv = new DataView(ino.buffer);
  const root_block = itable(0) + inode_table_blocks;
  u16(iv, 0, 0o040755); // i_mode
  u32(iv, 4, blocksize); // i_size
  u32(iv, 8, timestamp); // i_atime
  u32(iv, 12, timestamp); // i_ctime
  u32(iv, 16, timestamp); // i_mtime
  u16(iv, 26, 3); // i_links_count: ".", ".." and lost+found's ".."
  u32(iv, 28, blocksize / 512); // i_blocks
  u32(iv, 40, root_block); // i_block[0]
  if (inodesize !== INODE_SIZE_OLD) u16(iv, 128, 28); // i_extra_isize
  yield* put(fd, itable(0) * blocksize + (EXT2_ROOT_INO - 1) * inodesize, ino);
  u16(iv, 26, 2);
  u32(iv, 4, lost_and_found_blocks * blocksize);
  u32(iv, 28, (lost_and_found_blocks * blocksize) / 512);
  for (let i = 0; i < lost_and_found_blocks; i++) u32(iv, 40 + 4 * i, root_block + 1 + i);
  yield* put(fd, itable(0) * blocksize + (EXT2_GOOD_OLD_FIRST_INO - 1) * inodesize, ino);

  // Directory blocks: lost+found's empty ones, its first, then the root's.
  const dv = new DataView(buf.buffer);
  u16(dv, 4, blocksize);
  for (let i = 1; i < lost_and_found_blocks; i++) yield* put(fd, (root_block + 1 + i) * blocksize, buf);
  const dirent = (off: number, inode: number, rec_len: number, name: string) => {
    u32(dv, off, inode);
    u16(dv, off + 4, rec_len);
    buf[off + 6] = name.length;
    buf[off + 7] = EXT2_FT_DIR;
    buf.set(new TextEncoder().encode(name), off + 8);
  };
  dirent(0, EXT2_GOOD_OLD_FIRST_INO, 12, ".");
  dirent(12, EXT2_ROOT_INO, blocksize - 12, "..");
  yield* put(fd, (root_block + 1) * blocksize, buf);
  dirent(0, EXT2_ROOT_INO, 12, ".");
  dirent(12, EXT2_ROOT_INO, 12, "..");
  dirent(24, EXT2_GOOD_OLD_FIRST_INO, blocksize - 24, "lost+found");
  yield* put(fd, root_block * blocksize, buf);
  yield* close(fd);
  return 0;
}

export const mke2fs: Applet = { name: "mke2fs", dir: "/sbin", usage: USAGE, main: mke2fs_main };
export const mkfs_ext2: Applet = { name: "mkfs.ext2", dir: "/sbin", usage: USAGE, main: mke2fs_main };
