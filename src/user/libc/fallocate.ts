/*
 * fallocate.ts - glibc's posix_fallocate (sysdeps/unix/sysv/linux/
 * posix_fallocate.c and its fallback sysdeps/posix/posix_fallocate.c).
 *
 * It asks the kernel first (fallocate(fd, 0, offset, len)). Only when the
 * filesystem has no fallocate (EOPNOTSUPP: ext2, a block device) does it
 * allocate by hand: for a regular file, not opened O_APPEND, it writes one
 * zero byte into every block of the range that does not already hold a
 * non-zero byte there (blocks of the filesystem's f_bsize, at most 4096),
 * starting so that the last write lands on the range's last byte. Like the
 * C function it returns the error number itself (0 on success), not -1.
 */

import { F_GETFL, O_APPEND, S_ISFIFO, S_ISREG, SEEK_CUR, SEEK_SET } from "../../kernel/uapi/abi.js";
import { EBADF, EFBIG, EINVAL, ENODEV, EOPNOTSUPP, ESPIPE } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { fallocate, fcntl, fstat, fstatfs, ftruncate, lseek, read, write } from "./sys.js";

/** off_t's largest value. */
const OFF_MAX = 2 ** 63 - 1;

/** posix_fallocate: 0 or a positive errno. */
export function* posix_fallocate(fd: number, offset: number, len: number): UserGen<number> {
  const r = yield* fallocate(fd, 0, offset, len);
  if (r === 0) return 0;
  if (r !== -EOPNOTSUPP) return -r;
  return yield* internal_fallocate(fd, offset, len);
}

function* internal_fallocate(fd: number, offset: number, len: number): UserGen<number> {
  if (offset < 0 || len < 0) return EINVAL;
  if (offset + len > OFF_MAX) return EFBIG;
  const flags = yield* fcntl(fd, F_GETFL);
  if (flags < 0 || flags & O_APPEND) return EBADF; // pwrite would append
  const st = yield* fstat(fd);
  if (typeof st === "number") return EBADF;
  if (S_ISFIFO(st.st_mode)) return ESPIPE;
  if (!S_ISREG(st.st_mode)) return ENODEV;
  if (len === 0) {
    if (st.st_size < offset) {
      const t = yield* ftruncate(fd, offset);
      return t < 0 ? -t : 0;
    }
    return 0;
  }
  const sf = yield* fstatfs(fd);
  if (typeof sf === "number") return -sf;
  const increment = sf.f_bsize === 0 ? 512 : Math.min(sf.f_bsize, 4096);
  for (offset += (len - 1) % increment; len > 0; offset += increment) {
    len -= increment;
    if (offset < st.st_size) {
      const c = yield* pread(fd, 1, offset);
      if (typeof c === "number") return -c;
      if (c.length === 1 && c[0] !== 0) continue; // that block is allocated already
    }
    const w = yield* pwrite(fd, new Uint8Array(1), offset);
    if (w !== 1) return w < 0 ? -w : EBADF;
  }
  return 0;
}

/** pread/pwrite: at an offset, leaving the file position where it was. */
function* pread(fd: number, count: number, offset: number): UserGen<Uint8Array | number> {
  const pos = yield* lseek(fd, 0, SEEK_CUR);
  if (pos < 0) return pos;
  yield* lseek(fd, offset, SEEK_SET);
  const r = yield* read(fd, count);
  yield* lseek(fd, pos, SEEK_SET);
  return r;
}

function* pwrite(fd: number, data: Uint8Array, offset: number): UserGen<number> {
  const pos = yield* lseek(fd, 0, SEEK_CUR);
  if (pos < 0) return pos;
  yield* lseek(fd, offset, SEEK_SET);
  const r = yield* write(fd, data);
  yield* lseek(fd, pos, SEEK_SET);
  return r;
}
