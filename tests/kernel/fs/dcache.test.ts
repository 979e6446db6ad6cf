/*
 * dcache.test.ts - the kernel objects the VFS and the tasks are made of:
 * fork, exec, exit, open, mkdir and pipes take and give back slab objects;
 * procfs and sysfs lookups stay in the dcache until drop_caches 2 (the
 * superblock shrinkers) frees them, while tmpfs dentries are the files and
 * stay; a reaped process's /proc/PID dentries go with it.
 */

import { describe, expect, it } from "vitest";
import type { Dentry } from "../../../src/kernel/fs/fs.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { check_page_alloc } from "../../../src/kernel/mm/debug_vm.js";
import { kmem_cache_lookup } from "../../../src/kernel/mm/kmem_caches.js";
import { session } from "../../helpers/machine.js";

/** Objects in use in a cache: every object minus the free ones, CPU freelists included. */
function inuse(k: Kernel, name: string): number {
  const s = kmem_cache_lookup(k, name);
  let n = 0;
  for (const slab of k.slab.slabs) {
    if (!slab || slab.cache !== s) continue;
    n += slab.objects;
    for (let p = slab.freelist; p >= 0; p = slab.fp[p]) n--;
    for (const c of s.cpu_slab) if (c.slab === slab) for (let p = c.freelist; p >= 0; p = slab.fp[p]) n--;
  }
  return n;
}

const CACHES = [
  "task_struct",
  "pid",
  "cred_jar",
  "signal_cache",
  "sighand_cache",
  "files_cache",
  "mm_struct",
];
const counts = (k: Kernel, names: string[]): number[] => names.map((n) => inuse(k, n));

/** Cached dentries of the mounted procfs, sysfs and debugfs. */
function synthetic_dentries(k: Kernel): number {
  let n = 0;
  const walk = (d: Dentry): void => {
    for (const c of d.d_subdirs.values()) {
      n++;
      walk(c);
    }
  };
  for (const m of k.vfs.mounts)
    if (["proc", "sysfs", "debugfs"].includes(m.mnt_sb.s_type)) walk(m.mnt_sb.s_root!);
  return n;
}

describe("objects of tasks and files", () => {
  it("fork+exec take a task's objects, exit and wait give them back", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const base = counts(k, CACHES);
    // A background cat stops on SIGTTIN and stays: a live process with an address space.
    s.line("cat &");
    check_page_alloc(k);
    expect(counts(k, CACHES).map((n, i) => n - base[i])).toEqual([1, 1, 1, 1, 1, 1, 1]);
    s.line("kill -9 %1; wait");
    check_page_alloc(k);
    expect(counts(k, CACHES)).toEqual(base);
  });

  it("mkdir and touch on tmpfs take a dentry and a shmem inode each; rm gives them back", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const names = ["dentry", "shmem_inode_cache"];
    const base = counts(k, names);
    s.line("mkdir /tmp/d; touch /tmp/d/a /tmp/d/a-file-name-longer-than-the-inline-dentry-name");
    expect(counts(k, names).map((n, i) => n - base[i])).toEqual([3, 3]);
    s.line("rm -r /tmp/d");
    expect(counts(k, names)).toEqual(base);
    check_page_alloc(k);
  });

  it("an open file is a filp; a pipe is a pipefs inode, a dentry and two filps", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const names = ["filp", "inode_cache", "dentry"];
    const base = counts(k, names);
    s.line("exec 3</etc/passwd");
    expect(counts(k, names).map((n, i) => n - base[i])).toEqual([1, 0, 0]);
    s.line("exec 3<&-");
    expect(counts(k, names)).toEqual(base);
    // (two applets ash runs without exec: an exec through /proc/self/exe would add procfs dentries)
    s.line("yes | cut -c1 > /dev/null &");
    const [filp, inode, dentry] = counts(k, names).map((n, i) => n - base[i]);
    expect([inode, dentry]).toEqual([1, 1]);
    expect(filp).toBeGreaterThanOrEqual(2);
    s.line("kill -9 %1; wait");
    expect(counts(k, names)).toEqual(base);
    check_page_alloc(k);
  });
});

describe("the dcache and its shrinkers", () => {
  it("ls -R / fills the dcache with procfs and sysfs entries; drop_caches 2 empties it", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    const names = ["dentry", "inode_cache", "proc_inode_cache"];
    const base = counts(k, names);
    s.line("ls -R / > /dev/null 2>&1");
    check_page_alloc(k);
    const grown = counts(k, names).map((n, i) => n - base[i]);
    expect(grown.every((n) => n > 100)).toBe(true);
    expect(synthetic_dentries(k)).toBeGreaterThan(grown[0] - 10);
    s.line("echo 2 > /proc/sys/vm/drop_caches");
    check_page_alloc(k);
    // What stays is what is in use: mount points, the shell's /proc/self lookups, open files.
    expect(synthetic_dentries(k)).toBeLessThan(10);
    expect(
      counts(k, names)
        .map((n, i) => n - base[i])
        .every((n) => n < 10),
    ).toBe(true);
  });

  it("keeps tmpfs dentries (they are the files) through drop_caches 2", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    s.line("touch /tmp/x /tmp/y; echo 2 > /proc/sys/vm/drop_caches; ls /tmp");
    expect(s.take()).toMatch(/x\s+y\n$/);
    expect(k.vfs.mounts.find((m) => m.mnt_sb.s_type === "tmpfs")!.mnt_sb.s_root!.d_subdirs.size).toBe(2);
  });

  it("drops a reaped process's /proc/PID from the dcache", () => {
    const s = session({ memory: 256 * 2 ** 20 });
    const k = s.m.k;
    s.line("cat /proc/self/stat > /dev/null");
    const proc = k.vfs.mounts.find((m) => m.mnt_sb.s_type === "proc")!.mnt_sb.s_root!;
    const pids = [...proc.d_subdirs.keys()].filter((n) => /^\d+$/.test(n));
    expect(pids.every((p) => k.sched.tasks.has(Number(p)))).toBe(true);
    check_page_alloc(k);
  });
});
