/*
 * mem.ts - the memory character devices (Linux drivers/char/mem.c,
 * drivers/char/random.c, kernel/printk/printk.c devkmsg):
 * /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom, /dev/kmsg.
 */

import type { FileOperations } from "../fs/fs.js";
import type { Kernel } from "../kernel.js";
import { DEFAULT_MESSAGE_LOGLEVEL, KERN_NOTICE } from "../lib/printk.js";
import { signal_pending, sleep_on } from "../sched/core.js";
import { O_NONBLOCK } from "../uapi/abi.js";
import { EAGAIN, EINVAL, ENOSPC, EPIPE, ERESTARTSYS } from "../uapi/errno.js";

export const null_fops: FileOperations = {
  read: () => new Uint8Array(0),
  write: (_k, _f, data) => data.length,
  llseek: (_k, f) => {
    f.f_pos = 0;
    return 0;
  },
};

/*
 * read_zero and urandom fill the whole buffer (Linux loops over it a page at
 * a time, stopping early only for a signal), so `dd bs=10M` reads whole
 * records. The host builds the bytes: past 256 MiB a read returns short,
 * as Linux's reads do past MAX_RW_COUNT (2 GiB), to keep the host's memory
 * in bounds.
 */
const MAX_DEV_READ = 256 << 20;

function zeroes(k: Kernel, count: number): Uint8Array {
  const n = Math.min(count, MAX_DEV_READ);
  const t = k.sched.current;
  if (t) t.cost += Math.ceil(n / 8); // clearing at ~8 bytes a ns
  return new Uint8Array(n);
}

export const zero_fops: FileOperations = {
  read: (k, _f, count) => zeroes(k, count),
  write: (_k, _f, data) => data.length,
  llseek: () => 0,
};

export const full_fops: FileOperations = {
  read: (k, _f, count) => zeroes(k, count),
  write: () => -ENOSPC,
  llseek: () => 0,
};

/**
 * crng_ready: QEMU's CPUs give the boot no RDRAND and no virtio-rng, so the
 * CRNG is not seeded when userspace starts; the first read of /dev/random
 * or /dev/urandom runs try_to_generate_entropy, which seeds it from timing
 * jitter at once and logs "random: crng init done".
 */
const crng_ready = new WeakSet<Kernel>();

function crng_init(k: Kernel): void {
  if (crng_ready.has(k)) return;
  crng_ready.add(k);
  k.printk.printk(KERN_NOTICE, "random: crng init done");
}

export const random_fops: FileOperations = {
  read: (k, _f, count) => {
    crng_init(k);
    const n = Math.min(count, MAX_DEV_READ);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = k.prng.u32();
      out[i] = v & 0xff;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = v >>> 24;
    }
    const t = k.sched.current;
    if (t) t.cost += n; // ChaCha20 at ~1 byte a ns
    return out;
  },
  write: (_k, _f, data) => data.length,
  llseek: () => 0,
};

/**
 * /dev/kmsg (devkmsg_read/devkmsg_write): reads give one record each,
 * "prefix,seq,usec,-;text" with the prefix (facility << 3) | level and
 * unprintable bytes and backslashes as \xNN; a reader starts at the oldest
 * record, sleeps on log_wait when it has read them all (EAGAIN with
 * O_NONBLOCK), gets EPIPE once when the ring overwrote the record it was
 * at, and EINVAL (the record skipped) for a buffer too small. A write is one
 * record of facility LOG_USER at default_message_loglevel unless it starts
 * with "<N>" (N's low 3 bits the level, the rest a facility if not 0).
 */
export const kmsg_fops: FileOperations = {
  open: (k, f) => {
    const first = k.printk.prb_read_valid(0);
    f.private_data = first ? first.seq : 0;
    return 0;
  },
  read: (k, f, count, t) => {
    const log = k.printk;
    const seq = f.private_data as number;
    const rec = log.prb_read_valid(seq);
    if (!rec) {
      if (f.f_flags & O_NONBLOCK) return -EAGAIN;
      if (signal_pending(t)) return -ERESTARTSYS;
      return sleep_on(k, t, log.log_wait, true);
    }
    if (rec.seq !== seq) {
      // our last seen message is gone, return error and reset
      f.private_data = rec.seq;
      return -EPIPE;
    }
    // msg_print_ext_body: bytes below ' ', from 127 up, and '\\' as \xNN
    let text = "";
    for (const c of new TextEncoder().encode(rec.text))
      text +=
        c < 0x20 || c >= 0x7f || c === 0x5c
          ? `\\x${c.toString(16).padStart(2, "0")}`
          : String.fromCharCode(c);
    const b = new TextEncoder().encode(
      `${(rec.facility << 3) | rec.level},${rec.seq},${Math.floor(rec.tsNs / 1000)},-;${text}\n`,
    );
    f.private_data = rec.seq + 1;
    if (b.length > count) return -EINVAL;
    return b;
  },
  write: (k, _f, data) => {
    let text = new TextDecoder().decode(data).replace(/\n$/, "");
    let level = DEFAULT_MESSAGE_LOGLEVEL;
    let facility = 1; // LOG_USER
    const m = /^<(\d+)>/.exec(text);
    if (m) {
      const u = Number(m[1]) >>> 0;
      level = u & 7;
      if ((u >> 3) & 0xff) facility = (u >> 3) & 0xff;
      text = text.slice(m[0].length);
    }
    k.printk.printk(level, text, facility);
    return data.length;
  },
};
