/*
 * exec.ts - execve and the binary formats (Linux fs/exec.c,
 * fs/binfmt_script.c, fs/binfmt_elf.c).
 *
 * A program file in the simulated rootfs starts with the ELF magic and a
 * line naming its entry point, then its program headers (binfmt_elf.ts):
 *
 *     \x7fELF mmbox-exec busybox
 *
 * The entry is looked up in the table of programs the machine registered at
 * boot (user space lives outside the kernel: the kernel only knows names).
 * The new address space is built before the point of no return, so that a
 * failure leaves the caller as it was.
 * Files starting with "#!" run their interpreter with the script's path, as
 * binfmt_script does. After the point of no return the task drops its
 * close-on-exec descriptors, resets caught signals to their defaults and
 * takes the file's base name as its comm (a script's name, not its
 * interpreter's: bprm->filename stays the script's).
 */

import { generic_file_read } from "../../kernel/mm/shmem.js";
import { start_thread } from "../arch/ptrace.js";
import type { Kernel } from "../kernel.js";
import { EXEC_DONE } from "../sched/core.js";
import type { Task, TaskGen } from "../sched/task.js";
import { exec_task_kmem } from "../sched/task_kmem.js";
import { O_RDONLY } from "../uapi/abi.js";
import { E2BIG, EACCES, ELOOP, ENOEXEC } from "../uapi/errno.js";
import { exec_mmap, load_elf_binary, parse_phdrs } from "./binfmt_elf.js";
import { do_close_on_exec, filp_kmem, fput } from "./file_table.js";
import { File } from "./fs.js";
import { kern_path } from "./namei.js";

export const ELF_MAGIC = "\x7fELF";
export const MMBOX_EXEC = "mmbox-exec";
const BINPRM_BUF_SIZE = 1024;
const ARG_MAX = 131072 * 16;
/** The time exec takes on the model machine (mapping, relocation, ld.so: ~300 us). */
const EXEC_COST_NS = 300_000;

function basename(p: string): string {
  const parts = p.split("/").filter(Boolean);
  return parts.length ? parts[parts.length - 1] : p;
}

/** do_execve; returns EXEC_DONE when the task now runs the new program. */
/**
 * prepare_binprm's kernel_read of the first bytes: a file on a disk reads
 * them through its page cache (readahead, I/O); tmpfs pages are all there.
 */
function kernel_read_head(k: Kernel, f: File, t: Task): Uint8Array {
  if (!f.f_inode.i_mapping?.read_folio || !f.f_op.read) return generic_file_read(k, f, BINPRM_BUF_SIZE);
  const r = f.f_op.read(k, f, BINPRM_BUF_SIZE, t);
  return r instanceof Uint8Array ? r : new Uint8Array(0);
}

export function sys_execve(
  k: Kernel,
  t: Task,
  path: string,
  argv: string[],
  envp: string[],
  depth = 0,
  filename = path,
): number | typeof EXEC_DONE {
  if (depth > 4) return -ELOOP;
  let size = 0;
  for (const a of argv) size += a.length + 1;
  for (const e of envp) size += e.length + 1;
  if (size > ARG_MAX) return -E2BIG;
  const p = kern_path(k, t, path, true);
  if (typeof p === "number") return p;
  const inode = p.dentry.d_inode!;
  if (!inode.isReg() || (inode.i_mode & 0o111) === 0) return -EACCES;
  if (p.mnt.mnt_flags & 8) return -EACCES; // MS_NOEXEC
  const f = new File(p, inode, O_RDONLY);
  filp_kmem(k, f);
  inode.i_opencount++;
  const head = new TextDecoder("latin1").decode(kernel_read_head(k, f, t));
  if (head.startsWith("#!")) {
    fput(k, f);
    const line = head.slice(2).split("\n")[0].trim();
    if (!line) return -ENOEXEC;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(line)!;
    const interp = m[1];
    const iargs = m[2] ? [m[2].trim()] : [];
    // bprm_change_interp: the interpreter is loaded, but bprm->filename stays the script's.
    return sys_execve(k, t, interp, [interp, ...iargs, path, ...argv.slice(1)], envp, depth + 1, filename);
  }
  const m = head.startsWith(ELF_MAGIC) ? new RegExp(`^${ELF_MAGIC} ${MMBOX_EXEC} (\\S+)`).exec(head) : null;
  const main = m ? k.binfmt.get(m[1]) : undefined;
  const phdrs = main ? parse_phdrs(head, k.profile.arch) : null;
  if (!main || !phdrs) {
    fput(k, f);
    return -ENOEXEC;
  }
  const image = load_elf_binary(k, t, f, phdrs, argv, envp, path);
  if (typeof image === "number") return image; // load_elf_binary dropped the file with the mm
  // point of no return
  exec_mmap(k, t, image.mm);
  image.mm.exec_info = image.info;
  start_thread(k, t, image.mm);
  exec_task_kmem(k, t);
  do_close_on_exec(k, t);
  for (let sig = 1; sig < t.signal.action.length; sig++)
    if (typeof t.signal.action[sig] === "function") t.signal.action[sig] = 0;
  // __set_task_comm(kbasename(bprm->filename)), and the new mm's arguments
  t.exec_shown = { comm: basename(filename).slice(0, 15), argv: argv.slice(), envp: envp.slice() };
  t.exe = f;
  t.gen = main(argv.slice(), envp.slice()) as TaskGen;
  t.req = null;
  t.resume = undefined;
  t.cost += EXEC_COST_NS;
  return EXEC_DONE;
}
