/*
 * pipe.ts - pipes and fifos (Linux fs/pipe.c).
 *
 * A pipe is a ring of up to 16 buffers (64 KiB). Each buffer is a page taken
 * from the buddy allocator when a writer needs room and given back when a
 * reader has drained it, so a pipe between two processes costs real pages.
 * Readers sleep while the pipe is empty and has writers; writers sleep while
 * it is full and has readers; writing with no reader left raises SIGPIPE
 * and fails with EPIPE; reading with no writer left returns end of file.
 */

import type { Kernel } from "../kernel.js";
import { page_read, page_write } from "../mm/filemap.js";
import { __GFP_ACCOUNT, GFP_HIGHUSER, GFP_KERNEL_ACCOUNT } from "../mm/gfp.js";
import { kobj_count, kobj_free, kobj_kmalloc } from "../mm/kobj.js";
import { __free_pages, alloc_pages, PAGE_SIZE } from "../mm/page_alloc.js";
import { signal_pending, sleep_on, wake_up } from "../sched/core.js";
import { send_signal } from "../sched/signal.js";
import type { Task } from "../sched/task.js";
import { WaitQueue } from "../sched/task.js";
import { FIONREAD, O_ACCMODE, O_NONBLOCK, O_RDONLY, O_WRONLY, S_IFIFO, SIGPIPE } from "../uapi/abi.js";
import { EAGAIN, EPIPE, ESPIPE } from "../uapi/errno.js";
import { POLLERR, POLLHUP, POLLIN, POLLOUT } from "../uapi/syscalls.js";
import { d_alloc, d_free, inode_alloc_kmem, inode_free_kmem } from "./dcache.js";
import { fd_install, filp_kmem, fput } from "./file_table.js";
import { type Blocking, File, type FileOperations, Inode, SuperBlock } from "./fs.js";

const PIPE_DEF_BUFFERS = 16;
const PIPE_BUF = 4096;

interface PipeBuffer {
  pfn: number;
  offset: number;
  len: number;
}

export class PipeInodeInfo {
  bufs: PipeBuffer[] = [];
  readers = 0;
  writers = 0;
  /** Opens so far (a fifo waits for the other end). */
  r_counter = 0;
  w_counter = 0;
  rd_wait = new WaitQueue();
  wr_wait = new WaitQueue();
  get bytes(): number {
    let n = 0;
    for (const b of this.bufs) n += b.len;
    return n;
  }
}

function pipe_info(f: File): PipeInodeInfo {
  return f.f_inode.i_private as PipeInodeInfo;
}

function pipe_read(k: Kernel, f: File, count: number, t: Task): Blocking<Uint8Array | number> {
  const p = pipe_info(f);
  if (p.bufs.length === 0) {
    if (p.writers === 0) return new Uint8Array(0);
    if (f.f_flags & O_NONBLOCK) return -EAGAIN;
    if (signal_pending(t)) return -4;
    return sleep_on(k, t, p.rd_wait, true);
  }
  const out: Uint8Array[] = [];
  let got = 0;
  while (got < count && p.bufs.length) {
    const b = p.bufs[0];
    const n = Math.min(b.len, count - got);
    out.push(page_read(k, b.pfn, b.offset, n));
    b.offset += n;
    b.len -= n;
    got += n;
    if (b.len === 0) {
      p.bufs.shift();
      __free_pages(k, b.pfn, 0);
    }
  }
  wake_up(k, p.wr_wait);
  wake_up(k, k.poll_wait);
  const res = new Uint8Array(got);
  let o = 0;
  for (const c of out) {
    res.set(c, o);
    o += c.length;
  }
  return res;
}

function pipe_write(k: Kernel, f: File, data: Uint8Array, t: Task): Blocking<number> {
  const p = pipe_info(f);
  if (p.readers === 0) {
    send_signal(k, t, SIGPIPE);
    return -EPIPE;
  }
  // Writes of up to PIPE_BUF bytes are atomic: wait until they fit whole.
  const room = (PIPE_DEF_BUFFERS - p.bufs.length) * PAGE_SIZE + (p.bufs.length ? PAGE_SIZE - tailUsed(p) : 0);
  const need = data.length <= PIPE_BUF ? data.length : 1;
  if (room < need) {
    if (f.f_flags & O_NONBLOCK) return -EAGAIN;
    if (signal_pending(t)) return -4;
    return sleep_on(k, t, p.wr_wait, true);
  }
  let done = 0;
  while (done < data.length) {
    let last = p.bufs[p.bufs.length - 1];
    if (!last || last.offset + last.len === PAGE_SIZE) {
      if (p.bufs.length >= PIPE_DEF_BUFFERS) break;
      const pfn = alloc_pages(k, GFP_HIGHUSER | __GFP_ACCOUNT, 0);
      if (pfn < 0) break;
      last = { pfn, offset: 0, len: 0 };
      p.bufs.push(last);
    }
    const at = last.offset + last.len;
    const n = Math.min(PAGE_SIZE - at, data.length - done);
    page_write(k, last.pfn, at, data.subarray(done, done + n));
    last.len += n;
    done += n;
  }
  wake_up(k, p.rd_wait);
  wake_up(k, k.poll_wait);
  if (done === 0) return sleep_on(k, t, p.wr_wait, true);
  return done;
}

function tailUsed(p: PipeInodeInfo): number {
  const b = p.bufs[p.bufs.length - 1];
  return b ? b.offset + b.len : 0;
}

function pipe_release(k: Kernel, f: File): void {
  const p = pipe_info(f);
  const mode = f.f_flags & O_ACCMODE;
  if (mode === O_RDONLY || mode === 2) p.readers--;
  if (mode === O_WRONLY || mode === 2) p.writers--;
  wake_up(k, p.rd_wait);
  wake_up(k, p.wr_wait);
  wake_up(k, k.poll_wait);
  if (p.readers === 0 && p.writers === 0) {
    for (const b of p.bufs) __free_pages(k, b.pfn, 0);
    p.bufs = [];
    // free_pipe_info; an anonymous pipe's inode and dentry go with it.
    kobj_free(k, p);
    const inode = f.f_inode;
    if (inode.i_sb === k.vfs.pipefs) {
      d_free(k, f.f_path.dentry);
      inode_free_kmem(k, inode);
    }
  }
}

/** alloc_pipe_info's memory: the pipe_inode_info and its ring of pipe_buffers (kmalloc-cg). */
function pipe_info_kmem(k: Kernel, p: PipeInodeInfo): void {
  if (!k.slab.up || kobj_count(k, p)) return;
  const b64 = k.profile.pointerBits === 64;
  kobj_kmalloc(k, b64 ? 176 : 108, p, GFP_KERNEL_ACCOUNT);
  kobj_kmalloc(k, PIPE_DEF_BUFFERS * (b64 ? 40 : 24), p, GFP_KERNEL_ACCOUNT);
}

function pipe_poll(_k: Kernel, f: File): number {
  const p = pipe_info(f);
  let mask = 0;
  const mode = f.f_flags & O_ACCMODE;
  if (mode !== O_WRONLY) {
    if (p.bufs.length) mask |= POLLIN;
    if (p.writers === 0 && p.w_counter > 0) mask |= POLLHUP;
  }
  if (mode !== O_RDONLY) {
    if (p.bufs.length < PIPE_DEF_BUFFERS) mask |= POLLOUT;
    if (p.readers === 0) mask |= POLLERR;
  }
  return mask;
}

export const pipefifo_fops: FileOperations = {
  read: pipe_read,
  write: pipe_write,
  llseek: () => -ESPIPE,
  release: pipe_release,
  poll: pipe_poll,
  ioctl: (_k, f, req) => (req === FIONREAD ? pipe_info(f).bytes : -25),
  /** fifo_open: count the end; a fifo opened for reading waits for a writer and vice versa. */
  open(k, f, t) {
    let p = f.f_inode.i_private as PipeInodeInfo | null;
    if (!p) p = f.f_inode.i_private = new PipeInodeInfo();
    pipe_info_kmem(k, p);
    const mode = f.f_flags & O_ACCMODE;
    if (mode === O_RDONLY || mode === 2) {
      p.readers++;
      p.r_counter++;
    }
    if (mode === O_WRONLY || mode === 2) {
      p.writers++;
      p.w_counter++;
    }
    wake_up(k, p.rd_wait);
    wake_up(k, p.wr_wait);
    void t;
    return 0;
  },
};

/** pipe2(2): two descriptors on a new anonymous pipe. */
export function sys_pipe2(k: Kernel, t: Task, flags: number): [number, number] | number {
  if (!k.vfs.pipefs) k.vfs.pipefs = new SuperBlock(k.vfs.new_dev(), "pipefs", 0x50495045, {});
  const pipefs = k.vfs.pipefs;
  const inode = inode_alloc_kmem(
    k,
    new Inode(pipefs, S_IFIFO | 0o600, {}, pipefifo_fops, Math.floor(k.clock.realtime)),
  );
  const info = new PipeInodeInfo();
  pipe_info_kmem(k, info);
  info.readers = info.writers = 1;
  info.r_counter = info.w_counter = 1;
  inode.i_private = info;
  const d = d_alloc(k, `pipe:[${inode.i_ino}]`, null, inode, pipefs);
  const path = { mnt: k.vfs.root_mnt!, dentry: d };
  const rf = new File(path, inode, O_RDONLY | (flags & O_NONBLOCK));
  const wf = new File(path, inode, O_WRONLY | (flags & O_NONBLOCK));
  filp_kmem(k, rf);
  filp_kmem(k, wf);
  inode.i_opencount = 2;
  const cloexec = (flags & 0o2000000) !== 0;
  const r = fd_install(t, rf, 0, cloexec);
  if (r < 0) return r;
  const w = fd_install(t, wf, 0, cloexec);
  if (w < 0) {
    t.files.fd[r] = null;
    fput(k, rf);
    return w;
  }
  return [r, w];
}
