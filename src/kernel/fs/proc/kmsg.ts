/*
 * kmsg.ts - /proc/kmsg (Linux fs/proc/kmsg.c): the kernel log as klogd
 * reads it, through do_syslog (kernel/sys.ts) with SYSLOG_FROM_PROC.
 *
 * A read is syslog(SYSLOG_ACTION_READ): it returns the records from
 * syslog_seq on, "<6>[    1.234567] text\n" each, and consumes them - a
 * second reader, or a second `cat /proc/kmsg`, gets only what was logged
 * since. With nothing left it sleeps on log_wait until printk logs a record
 * (a signal ends the wait: ^C stops a `cat /proc/kmsg`); with O_NONBLOCK it
 * fails with EAGAIN instead. dmesg reads the same ring from clear_seq and
 * neither consumes nor is consumed by it: `dmesg -c` does not empty
 * /proc/kmsg, reading /proc/kmsg does not shorten dmesg.
 *
 * The file is 0400 root; it has no write (EIO) and is not seekable in a
 * way that means anything (generic_file_llseek moves f_pos, which the
 * reads ignore).
 */

import type { FileOperations } from "../../fs/fs.js";
import { do_syslog } from "../../sys.js";
import {
  O_NONBLOCK,
  S_IFREG,
  SYSLOG_ACTION_CLOSE,
  SYSLOG_ACTION_OPEN,
  SYSLOG_ACTION_READ,
  SYSLOG_ACTION_SIZE_UNREAD,
} from "../../uapi/abi.js";
import { EAGAIN } from "../../uapi/errno.js";
import { POLLIN } from "../../uapi/syscalls.js";
import type { ProcEntry } from "./generic.js";

const kmsg_proc_ops: Pick<FileOperations, "open" | "read" | "poll" | "release"> = {
  open: (k, _f, t) => do_syslog(k, t, SYSLOG_ACTION_OPEN, 0, true) as number,
  release: (k) => {
    do_syslog(k, k.sched.current!, SYSLOG_ACTION_CLOSE, 0, true);
  },
  read(k, f, count, t) {
    if (f.f_flags & O_NONBLOCK && !do_syslog(k, t, SYSLOG_ACTION_SIZE_UNREAD, 0, true)) return -EAGAIN;
    const r = do_syslog(k, t, SYSLOG_ACTION_READ, count, true);
    return typeof r === "string" ? new TextEncoder().encode(r) : r;
  },
  /** kmsg_poll: poll_wait on log_wait, readable while a record is unread. */
  poll(k, _f, t) {
    const wq = k.printk.log_wait;
    wq.tasks.add(t);
    t.sleeping_on.add(wq);
    return do_syslog(k, t, SYSLOG_ACTION_SIZE_UNREAD, 0, true) ? POLLIN : 0;
  },
};

/** proc_kmsg_init: proc_create("kmsg", S_IRUSR, NULL, &kmsg_proc_ops). */
export function proc_kmsg(): ProcEntry {
  return { name: "kmsg", mode: S_IFREG | 0o400, proc_ops: kmsg_proc_ops };
}
