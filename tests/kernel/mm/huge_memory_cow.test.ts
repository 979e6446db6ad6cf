/*
 * The learning material's `cow 50 thp` on -M pc -m 1024M, against the shape
 * of reference/real-linux/x86_64/mem1024M/cmds/122-cow_50_thp.txt.
 */

import { describe, expect, it } from "vitest";
import { MiB, pc } from "../../helpers/thp.js";

describe("cow 50 thp on -M pc -m 1024M", () => {
  it("has the shape of the reference (122-cow_50_thp.txt): 24 THPs, the child's writes split its PMDs only", () => {
    // 48 MiB of the unaligned 50 MiB are THPs (AnonHugePages 49152 kB); the child's write to the
    // first half splits 12 of its 24 PMDs (24576 kB left: where the
    // unaligned area starts follows ASLR) and copies 4 KiB pages, one fault each;
    // the parent's PMDs and meminfo's AnonHugePages do not move until the munmap.
    expect(pc(1024 * MiB)("cow 50 thp")).toBe(
      [
        "[parent pid=54] step 0: start",
        "  status: VmRSS=644 kB RssAnon=44 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=644 kB Pss=641 kB Shared_Dirty=0 kB Private_Dirty=640 kB Anonymous=44 kB AnonHugePages=0 kB",
        "  minflt=24 majflt=0",
        "  meminfo: MemFree=942340 kB AnonPages=144 kB AnonHugePages=0 kB",
        "[parent pid=54] step 1: after mmap+touch (THP allowed)",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=51841 kB Shared_Dirty=0 kB Private_Dirty=51840 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=893188 kB AnonPages=51344 kB AnonHugePages=49152 kB",
        "[child pid=55] step 2: after fork, before any write",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=25628 kB Shared_Dirty=51256 kB Private_Dirty=0 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=0 majflt=0",
        "  meminfo: MemFree=892948 kB AnonPages=51344 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 2: after fork",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=26213 kB Shared_Dirty=51256 kB Private_Dirty=584 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=892948 kB AnonPages=51344 kB AnonHugePages=49152 kB",
        "[child pid=55] step 3: after child wrote first half",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=38428 kB Shared_Dirty=25656 kB Private_Dirty=25600 kB Anonymous=51244 kB AnonHugePages=24576 kB",
        "  minflt=6400 majflt=0",
        "  meminfo: MemFree=867496 kB AnonPages=76944 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 3: after child wrote first half",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=39013 kB Shared_Dirty=25656 kB Private_Dirty=26184 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=867496 kB AnonPages=76944 kB AnonHugePages=49152 kB",
        "[child pid=55] step 4: after child read all pages",
        "  status: VmRSS=51256 kB RssAnon=51244 kB RssFile=0 kB RssShmem=12 kB",
        "  smaps_rollup: Rss=51256 kB Pss=38428 kB Shared_Dirty=25656 kB Private_Dirty=25600 kB Anonymous=51244 kB AnonHugePages=24576 kB",
        "  minflt=6400 majflt=0",
        "  meminfo: MemFree=867496 kB AnonPages=76944 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 5: after child exited",
        "  status: VmRSS=51844 kB RssAnon=51244 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=51844 kB Pss=51841 kB Shared_Dirty=0 kB Private_Dirty=51840 kB Anonymous=51244 kB AnonHugePages=49152 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=867496 kB AnonPages=51344 kB AnonHugePages=49152 kB",
        "[parent pid=54] step 6: after munmap",
        "  status: VmRSS=644 kB RssAnon=44 kB RssFile=4 kB RssShmem=596 kB",
        "  smaps_rollup: Rss=644 kB Pss=641 kB Shared_Dirty=0 kB Private_Dirty=640 kB Anonymous=44 kB AnonHugePages=0 kB",
        "  minflt=560 majflt=0",
        "  meminfo: MemFree=904360 kB AnonPages=144 kB AnonHugePages=0 kB",
        "",
      ].join("\n"),
    );
  });
});
