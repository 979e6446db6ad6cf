/*
 * /proc/net -> self/net (fs/proc/proc_net.c): the loopback device with no
 * traffic, no unix or inet sockets (no process can make one here).
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/net", () => {
  it.each(["vexpress-a9", "pc"] as const)("%s: lo, and no sockets", (machine) => {
    const r = sh(
      [
        "ls -l /proc/net | cut -c1-10,57-",
        "ls /proc/1/net",
        'cd /proc/net; for f in *; do echo "-- $f"; cat $f; done',
      ],
      {
        machine,
      },
    );
    expect(r.output).toBe(
      "lrwxrwxrwx /proc/net -> self/net\n" +
        "dev        sockstat   sockstat6  unix\n" +
        "-- dev\n" +
        "Inter-|   Receive                                                |  Transmit\n" +
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
        "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n" +
        "-- sockstat\n" +
        "sockets: used 0\n" +
        "TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n" +
        "UDP: inuse 0 mem 0\n" +
        "UDPLITE: inuse 0\n" +
        "RAW: inuse 0\n" +
        "FRAG: inuse 0 memory 0\n" +
        "-- sockstat6\n" +
        "TCP6: inuse 0\n" +
        "UDP6: inuse 0\n" +
        "UDPLITE6: inuse 0\n" +
        "RAW6: inuse 0\n" +
        "FRAG6: inuse 0 memory 0\n" +
        "-- unix\n" +
        "Num       RefCount Protocol Flags    Type St Inode Path\n",
    );
  });
});
