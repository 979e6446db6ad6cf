/*
 * dd.ts - dd (coreutils/dd.c): copy a file in blocks.
 *
 *   dd if=/dev/zero of=/tmp/f bs=1M count=64
 *   64+0 records in
 *   64+0 records out
 *
 * Operands are KEY=VALUE: if= of= bs= ibs= obs= count= skip= seek=
 * conv=notrunc,noerror,sync,fsync,swab iflag=skip_bytes,count_bytes,fullblock
 * oflag=seek_bytes,append status=noxfer|none. Numbers take dd's suffixes
 * (c w b kB k MB M GB G). Reads are ibs bytes; a short read is a partial
 * record ("+1"), padded with zeroes under conv=sync. When ibs and obs
 * differ the data is re-blocked into obs-sized writes. The record counts
 * go to stderr when dd ends (also after an error), and whenever dd gets
 * SIGUSR1.
 *
 * The blocks pass through buffers in the process's memory, as in BusyBox:
 * xmalloc(ibs) (and xmalloc(obs) when they differ) before the files are
 * opened - "dd: out of memory" when the kernel refuses the mapping - and
 * every read stores into the buffer (copy_to_user faults its pages in),
 * every write loads from it. A large bs is a large RSS. bs, ibs and obs
 * must fit a positive ssize_t: 1..2147483647 on 32-bit ARM.
 *
 * Debian builds BusyBox without FEATURE_DD_THIRD_STATUS_LINE, so there is
 * no "N bytes (...) copied, S seconds, R/s" line: the reference transcript
 * has only the two record lines, and so does this dd.
 */

import { O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, SEEK_CUR, SIGUSR1 } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { libc_of } from "../libc/crt0.js";
import { bb_error_msg, bb_show_usage, cwbkMG_suffixes, strtou_range_sfx } from "../libc/libbb.js";
import { touch } from "../libc/mman.js";
import { puts, strerror } from "../libc/stdio.js";
import { close, fsync, ftruncate, lseek, open, read, sigaction, write } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]
\t[conv=notrunc|noerror|sync|fsync]
\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]

Copy a file with converting and formatting

\tif=FILE\t\tRead from FILE instead of stdin
\tof=FILE\t\tWrite to FILE instead of stdout
\tbs=N\t\tRead and write N bytes at a time
\tibs=N\t\tRead N bytes at a time
\tobs=N\t\tWrite N bytes at a time
\tcount=N\t\tCopy only N input blocks
\tskip=N\t\tSkip N input blocks
\tseek=N\t\tSkip N output blocks
\tconv=notrunc\tDon't truncate output file
\tconv=noerror\tContinue after read errors
\tconv=sync\tPad blocks with zeros
\tconv=fsync\tPhysically write data out before finishing
\tconv=swab\tSwap every pair of bytes
\tiflag=skip_bytes\tskip=N is in bytes
\tiflag=count_bytes\tcount=N is in bytes
\toflag=seek_bytes\tseek=N is in bytes
\tiflag=direct\tO_DIRECT input
\toflag=direct\tO_DIRECT output
\tiflag=fullblock\tRead full blocks
\toflag=append\tOpen output in append mode
\tstatus=noxfer\tSuppress rate output
\tstatus=none\tSuppress all output

N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G`;

const FLAG_WORDS: Record<string, string[]> = {
  conv: ["notrunc", "sync", "noerror", "fsync", "swab"],
  iflag: ["skip_bytes", "count_bytes", "fullblock", "direct"],
  oflag: ["seek_bytes", "append", "direct"],
};

/** The state dd keeps while copying (BusyBox's G). */
interface Dd {
  in_full: number;
  in_part: number;
  out_full: number;
  out_part: number;
  flags: Set<string>;
  status: "" | "noxfer" | "none";
}

function* print_stats(d: Dd): UserGen<void> {
  if (d.status === "none") return;
  yield* puts(2, `${d.in_full}+${d.in_part} records in\n${d.out_full}+${d.out_part} records out\n`);
}

/** What a read stores into the buffer at addr: zeroes as zeroes, anything else as data. */
function* store_block(addr: number, data: Uint8Array): UserGen<void> {
  if (!data.length) return;
  let zero = true;
  const words =
    data.byteOffset % 4 === 0 ? new Int32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
  if (words) for (let i = 0; zero && i < words.length; i++) zero = words[i] === 0;
  for (let i = words ? words.length << 2 : 0; zero && i < data.length; i++) zero = data[i] === 0;
  yield* touch(addr, data.length, zero ? { write: true, fill: 0 } : { write: true });
}

/** full_write_or_warn + write_and_stats (the block loaded from the buffer at addr): false after an error. */
function* write_and_stats(
  d: Dd,
  fd: number,
  buf: Uint8Array,
  obs: number,
  name: string,
  addr: number,
): UserGen<boolean> {
  yield* touch(addr, buf.length);
  let off = 0;
  while (off < buf.length) {
    const n = yield* write(fd, buf.subarray(off));
    if (n < 0) {
      yield* bb_error_msg("dd", `error writing '${name}': ${strerror(n)}`);
      return false;
    }
    if (n === 0) break;
    off += n;
  }
  if (off === obs) d.out_full++;
  else if (off === buf.length) d.out_part++;
  else {
    yield* bb_error_msg("dd", "short write");
    return false;
  }
  return true;
}

function* dd_main(argv: string[], _envp: string[], libc_arg?: unknown): UserGen<number> {
  const libc = libc_of(libc_arg);
  // size_t and unsigned long are 32 bits on ARM, 64 on x86_64 and arm64.
  const lp64 = (libc.info?.task_size ?? 2 ** 47) > 2 ** 32;
  const d: Dd = { in_full: 0, in_part: 0, out_full: 0, out_part: 0, flags: new Set(), status: "" };
  let ibs = 512;
  let obs = 512;
  let count = -1;
  let skip = 0;
  let seek = 0;
  let infile: string | undefined;
  let outfile: string | undefined;
  for (const arg of argv.slice(1)) {
    const eq = arg.indexOf("=");
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const val = arg.slice(eq + 1);
    if (
      eq < 0 ||
      !["bs", "ibs", "obs", "count", "seek", "skip", "if", "of", "conv", "iflag", "oflag", "status"].includes(
        key,
      )
    )
      return yield* bb_show_usage(USAGE);
    if (key in FLAG_WORDS) {
      for (const w of val.split(",")) {
        if (!FLAG_WORDS[key].includes(w)) {
          yield* bb_error_msg("dd", `invalid argument '${w}' to '${key}'`);
          return 1;
        }
        d.flags.add(`${key}.${w}`);
      }
      continue;
    }
    if (key === "status") {
      if (val !== "noxfer" && val !== "none") {
        yield* bb_error_msg("dd", `invalid argument '${val}' to 'status'`);
        return 1;
      }
      d.status = val;
      continue;
    }
    if (key === "if") infile = val;
    else if (key === "of") outfile = val;
    else {
      // Buffer sizes: xatoul_range_sfx(1, (size_t)-1 / 2); the counts: xatoull_sfx.
      const r =
        key === "bs" || key === "ibs" || key === "obs"
          ? lp64
            ? strtou_range_sfx(val, 10, 1, 2n ** 63n - 1n, cwbkMG_suffixes, 2 ** 64 - 1)
            : strtou_range_sfx(val, 10, 1, 2 ** 31 - 1, cwbkMG_suffixes, 2 ** 32 - 1)
          : strtou_range_sfx(val, 10, 0, 2n ** 64n - 1n, cwbkMG_suffixes, 2 ** 64 - 1);
      if (!r.ok) {
        yield* bb_error_msg("dd", r.msg);
        return 1;
      }
      if (key === "bs") ibs = obs = r.value;
      else if (key === "ibs") ibs = r.value;
      else if (key === "obs") obs = r.value;
      else if (key === "count") count = r.value;
      else if (key === "skip") skip = r.value;
      else seek = r.value;
    }
  }
  const f = d.flags;
  // xmalloc(ibs), and a second buffer when the block sizes differ.
  const ibuf = yield* libc.malloc.malloc(ibs);
  const obuf_addr = ibuf && ibs !== obs ? yield* libc.malloc.malloc(obs) : ibuf;
  if (!ibuf || !obuf_addr) {
    yield* bb_error_msg("dd", "out of memory");
    return 1;
  }
  // kill -USR1 makes dd report how far it got, and carry on
  yield* sigaction(SIGUSR1, (_sig: number) => print_stats(d));
  const ifd = infile === undefined ? 0 : yield* open(infile, O_RDONLY);
  if (ifd < 0) {
    yield* bb_error_msg("dd", `can't open '${infile}': ${strerror(ifd)}`);
    return 1;
  }
  let ofd = 1;
  const outname = outfile ?? "standard output";
  if (outfile !== undefined) {
    let oflag = O_WRONLY | O_CREAT;
    if (!seek && !f.has("conv.notrunc")) oflag |= O_TRUNC;
    if (f.has("oflag.append")) oflag |= O_APPEND;
    ofd = yield* open(outfile, oflag, 0o666);
    if (ofd < 0) {
      yield* bb_error_msg("dd", `can't open '${outfile}': ${strerror(ofd)}`);
      return 1;
    }
    const seekBytes = f.has("oflag.seek_bytes") ? seek : seek * obs;
    if (seek && !f.has("conv.notrunc")) yield* ftruncate(ofd, seekBytes);
  }
  if (seek) yield* lseek(ofd, f.has("oflag.seek_bytes") ? seek : seek * obs, SEEK_CUR);
  let status = 0;
  if (skip) {
    const bytes = f.has("iflag.skip_bytes") ? skip : skip * ibs;
    if ((yield* lseek(ifd, bytes, SEEK_CUR)) < 0) {
      // not seekable (a pipe): read and throw away
      for (let left = bytes; left > 0; ) {
        const r = yield* read(ifd, Math.min(left, ibs));
        if (typeof r === "number" || r.length === 0) break;
        yield* store_block(ibuf, r);
        left -= r.length;
      }
    }
  }
  const countBytes = f.has("iflag.count_bytes");
  let total = 0;
  let obuf: number[] = [];
  out: while (count < 0 || (countBytes ? total < count : d.in_full + d.in_part < count)) {
    const want = countBytes ? Math.min(ibs, count - total) : ibs;
    let chunk: Uint8Array;
    const r = yield* read(ifd, want);
    if (typeof r === "number") {
      // A bad block: die_infile's perror (no statistics), or with noerror the same message, a
      // seek past the block and an empty read (NULs with sync).
      yield* bb_error_msg("dd", `${infile ?? "standard input"}: ${strerror(r)}`);
      if (!f.has("conv.noerror")) return 1;
      yield* lseek(ifd, ibs, SEEK_CUR);
      chunk = new Uint8Array(0);
    } else {
      chunk = r;
      if (chunk.length === 0) break;
    }
    if (f.has("iflag.fullblock")) {
      while (chunk.length < want) {
        const more = yield* read(ifd, want - chunk.length);
        if (typeof more === "number" || more.length === 0) break;
        const n = new Uint8Array(chunk.length + more.length);
        n.set(chunk);
        n.set(more, chunk.length);
        chunk = n;
      }
    }
    total += chunk.length;
    if (chunk.length === ibs) d.in_full++;
    else {
      d.in_part++;
      if (f.has("conv.sync")) {
        const padded = new Uint8Array(ibs);
        padded.set(chunk);
        chunk = padded;
      }
    }
    yield* store_block(ibuf, chunk);
    if (f.has("conv.swab")) {
      chunk = chunk.slice();
      for (let i = 0; i + 1 < chunk.length; i += 2) [chunk[i], chunk[i + 1]] = [chunk[i + 1], chunk[i]];
    }
    if (ibs === obs) {
      if (!(yield* write_and_stats(d, ofd, chunk, obs, outname, ibuf))) {
        status = 1;
        break;
      }
      continue;
    }
    for (const b of chunk) obuf.push(b);
    while (obuf.length >= obs) {
      const blk = Uint8Array.from(obuf.slice(0, obs));
      obuf = obuf.slice(obs);
      yield* store_block(obuf_addr, blk);
      if (!(yield* write_and_stats(d, ofd, blk, obs, outname, obuf_addr))) {
        status = 1;
        break out;
      }
    }
  }
  if (status === 0 && obuf.length) {
    const blk = Uint8Array.from(obuf);
    yield* store_block(obuf_addr, blk);
    if (!(yield* write_and_stats(d, ofd, blk, obs, outname, obuf_addr))) status = 1;
  }
  if (status === 0 && f.has("conv.fsync") && (yield* fsync(ofd)) < 0) {
    yield* bb_error_msg("dd", `fsync: ${outname}`);
    status = 1;
  }
  if (ofd !== 1) yield* close(ofd);
  if (ifd !== 0) yield* close(ifd);
  yield* print_stats(d);
  return status;
}

export const dd: Applet = { name: "dd", dir: "/bin", usage: USAGE, main: dd_main };
