/*
 * The link counts of /proc's directories (fs/proc/generic.c proc_register,
 * base.c nlink_tgid/nlink_tid, proc_sysctl.c): 2 plus the subdirectories,
 * 9 and 7 for a process and a thread (the directories of tgid_base_stuff
 * and tid_base_stuff), 1 for sysctl directories.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc directory link counts", () => {
  it("vexpress-a9", () => {
    const r = sh([
      "ls -l /proc | grep '^d' | grep -v ' [0-9]*$' | cut -c1-15,57-",
      "ls -ld /proc/1 /proc/1/task/1 /proc/1/fd /proc/1/net /proc/sys/vm /proc/irq/31 | cut -c1-15,57-",
    ]);
    expect(r.output).toBe(
      "dr-xr-xr-x    4 bus\ndr-xr-xr-x    2 cpu\ndr-xr-xr-x    2 driver\ndr-xr-xr-x    3 fs\n" +
        "dr-xr-xr-x   18 irq\ndr-xr-xr-x    2 pressure\ndr-xr-xr-x    1 sys\ndr-xr-xr-x    2 sysvipc\n" +
        "dr-xr-xr-x    4 tty\n" +
        "dr-xr-xr-x    9 /proc/1\ndr-x------    2 /proc/1/fd\ndr-xr-xr-x    2 /proc/1/net\n" +
        "dr-xr-xr-x    7 /proc/1/task/1\ndr-xr-xr-x    3 /proc/irq/31\ndr-xr-xr-x    1 /proc/sys/vm\n",
    );
  });
});
