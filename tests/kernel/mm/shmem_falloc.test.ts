/*
 * shmem_falloc.test.ts - fallocate(2) on tmpfs with the modes BusyBox's
 * fallocate (posix_fallocate, mode 0) never passes: KEEP_SIZE and
 * PUNCH_HOLE, and vfs_fallocate's refusals. The calls are made for the
 * shell's task on a file it wrote; the shell then shows the result.
 */

import { describe, expect, it } from "vitest";
import { fput } from "../../../src/kernel/fs/file_table.js";
import type { File } from "../../../src/kernel/fs/fs.js";
import { do_filp_open, vfs_fallocate } from "../../../src/kernel/fs/open.js";
import {
  FALLOC_FL_COLLAPSE_RANGE,
  FALLOC_FL_KEEP_SIZE,
  FALLOC_FL_PUNCH_HOLE,
  FALLOC_FL_ZERO_RANGE,
  O_RDONLY,
  O_RDWR,
} from "../../../src/kernel/uapi/abi.js";
import { EBADF, EINVAL, ENOSPC, EOPNOTSUPP } from "../../../src/kernel/uapi/errno.js";
import { PlainSession } from "../../../src/plain/run.js";
import { procNums } from "../../helpers/machine.js";

function setup(): {
  run: (l: string) => string;
  falloc: (path: string, flags: number, mode: number, off: number, len: number) => number;
} {
  const s = new PlainSession({ machine: "vexpress-a9" });
  const run = (line: string): string => {
    s.line(line);
    s.m.checkInvariants();
    return s.take();
  };
  const k = s.m.k;
  const sh = [...k.sched.tasks.values()].find((t) => t.comm === "sh")!;
  const falloc = (path: string, flags: number, mode: number, off: number, len: number): number => {
    const f = do_filp_open(k, sh, path, flags, 0) as File;
    const r = vfs_fallocate(k, sh, f, mode, off, len);
    fput(k, f);
    s.m.checkInvariants();
    return r;
  };
  return { run, falloc };
}

const shmem = (run: (l: string) => string): number => procNums(run("grep Shmem: /proc/meminfo")).Shmem;

describe("fallocate on tmpfs", () => {
  it("KEEP_SIZE allocates the pages but leaves the size; PUNCH_HOLE frees whole pages and zeroes the rest", () => {
    const { run, falloc } = setup();
    run("touch /tmp/k");
    const base = shmem(run);
    expect(falloc("/tmp/k", O_RDWR, FALLOC_FL_KEEP_SIZE, 0, 8192)).toBe(0);
    expect(run("stat -c %s /tmp/k")).toBe("0\n");
    expect(shmem(run) - base).toBe(8);
    // three pages of 'a' lines (15 a's and a newline); the hole covers the end of the first, all of the second, the start of the third
    run("yes aaaaaaaaaaaaaaa | head -c 12288 > /tmp/h");
    const full = shmem(run);
    expect(falloc("/tmp/h", O_RDWR, FALLOC_FL_PUNCH_HOLE, 0, 4096)).toBe(-EOPNOTSUPP);
    expect(falloc("/tmp/h", O_RDWR, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4000, 4096 + 200)).toBe(0);
    expect(full - shmem(run)).toBe(4);
    expect(run("stat -c %s /tmp/h; od -An -c -j 3998 -N 4 /tmp/h; od -An -c -j 8294 -N 4 /tmp/h")).toBe(
      "12288\n   a  \\n  \\0  \\0\n  \\0  \\0   a   a\n",
    );
    expect(run("tr -d '\\0' < /tmp/h | wc -c")).toBe("7992\n");
  });

  it("refuses what vfs_fallocate and shmem refuse", () => {
    const { run, falloc } = setup();
    run("echo x > /tmp/r; mount -t tmpfs -o size=16k tmpfs /mnt; touch /mnt/f");
    expect(falloc("/tmp/r", O_RDWR, 0, 0, 0)).toBe(-EINVAL);
    expect(falloc("/tmp/r", O_RDWR, 0, -1, 1)).toBe(-EINVAL);
    expect(falloc("/tmp/r", O_RDONLY, 0, 0, 1)).toBe(-EBADF);
    expect(falloc("/tmp/r", O_RDWR, FALLOC_FL_ZERO_RANGE, 0, 1)).toBe(-EOPNOTSUPP);
    expect(falloc("/tmp/r", O_RDWR, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 1)).toBe(-EINVAL);
    expect(falloc("/tmp/r", O_RDWR, 0x80, 0, 1)).toBe(-EOPNOTSUPP);
    // larger than the whole mount at once, and running out part way (the pages it took go back)
    expect(falloc("/mnt/f", O_RDWR, 0, 0, 20480)).toBe(-ENOSPC);
    run("echo 1234 > /mnt/g");
    expect(falloc("/mnt/f", O_RDWR, 0, 0, 16384)).toBe(-ENOSPC);
    expect(run("df /mnt | tail -1; stat -c %s /mnt/f")).toBe(
      "tmpfs                       16         4        12  25% /mnt\n0\n",
    );
  });
});
