/*
 * /proc/irq (kernel/irq/proc.c): a directory per registered descriptor
 * with its affinity, effective affinity, node and spurious counts, one per
 * handler; default_smp_affinity. Writing smp_affinity moves an interrupt
 * to another CPU, as /proc/interrupts then shows; per-CPU and managed ones
 * refuse (EIO), bad masks get bitmap_parse's errors.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

const each =
  'cd /proc/irq; for i in *; do [ -d $i ] && echo "$i: $(cat $i/smp_affinity) $(cat $i/smp_affinity_list)' +
  " $(cat $i/effective_affinity) [$(cat $i/effective_affinity_list)] $(cat $i/node) $(cat $i/affinity_hint)" +
  ' $(ls -l $i/smp_affinity | cut -c1-10) $(head -n 1 $i/spurious) $(cd $i; ls -d */ 2>/dev/null)"; done; cd /';

describe("/proc/irq", () => {
  it("vexpress-a9: the GIC's descriptors, moved by smp_affinity", () => {
    const r = sh([
      "ls /proc/irq",
      "ls -l /proc/irq/31",
      each,
      "cat /proc/irq/default_smp_affinity /proc/irq/31/spurious",
      "cd /proc/irq/31; echo 2 > smp_affinity; cat smp_affinity effective_affinity_list",
      "grep uart /proc/interrupts",
      "echo x > smp_affinity; echo 100 > smp_affinity; echo 9 > smp_affinity_list",
      "echo 1-3 > smp_affinity_list; cat smp_affinity effective_affinity_list",
      "echo 3 > ../25/smp_affinity; echo 0 > ../default_smp_affinity; echo 3 > ../default_smp_affinity",
      "echo 0 > smp_affinity; cat ../default_smp_affinity smp_affinity effective_affinity_list",
    ]);
    expect(r.output).toBe(
      "16                    22                    28\n" +
        "17                    23                    29\n" +
        "18                    24                    30\n" +
        "19                    25                    31\n" +
        "20                    26                    default_smp_affinity\n" +
        "21                    27\n" +
        "total 0\n" +
        "-r--r--r--    1 root     root             0 Nov 22 01:36 affinity_hint\n" +
        "-r--r--r--    1 root     root             0 Nov 22 01:36 effective_affinity\n" +
        "-r--r--r--    1 root     root             0 Nov 22 01:36 effective_affinity_list\n" +
        "-r--r--r--    1 root     root             0 Nov 22 01:36 node\n" +
        "-rw-r--r--    1 root     root             0 Nov 22 01:36 smp_affinity\n" +
        "-rw-r--r--    1 root     root             0 Nov 22 01:36 smp_affinity_list\n" +
        "-r--r--r--    1 root     root             0 Nov 22 01:36 spurious\n" +
        "dr-xr-xr-x    2 root     root             0 Nov 22 01:36 uart-pl011\n" +
        "16: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "17: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "18: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "19: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "20: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "21: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "22: f 0-3 0 [] 0 0 -r--r--r-- count 0 IPI/\n" +
        "23: f 0-3 0 [] 0 0 -r--r--r-- count 0 \n" +
        "24: 1 0 1 [0] 0 0 -rw-r--r-- count 2 timer/\n" +
        "25: f 0-3 0 [] 0 0 -r--r--r-- count 0 twd/\n" +
        "26: 1 0 1 [0] 0 0 -r--r--r-- count 0 arm-pmu/\n" +
        "27: 2 1 2 [1] 0 0 -r--r--r-- count 0 arm-pmu/\n" +
        "28: 4 2 4 [2] 0 0 -r--r--r-- count 0 arm-pmu/\n" +
        "29: 8 3 8 [3] 0 0 -r--r--r-- count 0 arm-pmu/\n" +
        "30: f 0-3 1 [0] 0 0 -rw-r--r-- count 0 rtc-pl031/\n" +
        "31: f 0-3 1 [0] 0 0 -rw-r--r-- count 347 uart-pl011/\n" +
        "f\n" +
        "count 404\n" +
        "unhandled 0\n" +
        "last_unhandled 0 ms\n" +
        "2\n" +
        "1\n" +
        " 31:        485         27          0          0 GIC-0  37 Level     uart-pl011\n" +
        "sh: write error: Invalid argument\n" +
        "sh: write error: Value too large for defined data type\n" +
        "sh: write error: Numerical result out of range\n" +
        "e\n" +
        "1\n" +
        "sh: write error: Input/output error\n" +
        "sh: write error: Invalid argument\n" +
        "3\n" +
        "3\n" +
        "0\n",
    );
  });

  it("pc: the 16 legacy IRQs, managed MSI vectors", () => {
    const r = sh(
      ["ls /proc/irq", each, "echo 2 > /proc/irq/25/smp_affinity", "cat /proc/irq/3/effective_affinity"],
      {
        machine: "pc",
        smp: 2,
        disks: [64 * 1024 * 1024],
      },
    );
    expect(r.output).toBe(
      "0                     15                    5\n" +
        "1                     2                     6\n" +
        "10                    24                    7\n" +
        "11                    25                    8\n" +
        "12                    26                    9\n" +
        "13                    3                     default_smp_affinity\n" +
        "14                    4\n" +
        "0: 1 0 1 [0] 0 0 -r--r--r-- count 4 timer/\n" +
        "1: 3 0-1 1 [0] 0 0 -rw-r--r-- count 0 i8042/\n" +
        "10: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "11: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "12: 3 0-1 2 [1] 0 0 -rw-r--r-- count 0 i8042/\n" +
        "13: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "14: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "15: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "2: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "24: 3 0-1 1 [0] -1 0 -rw-r--r-- count 0 virtio0-config/\n" +
        "25: 1 0 1 [0] -1 0 -r--r--r-- count 0 virtio0-req.0/\n" +
        "26: 2 1 2 [1] -1 0 -r--r--r-- count 0 virtio0-req.1/\n" +
        "3: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "4: 3 0-1 2 [1] 0 0 -rw-r--r-- count 89 ttyS0/\n" +
        "5: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "6: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "7: 3 0-1 0 [] 0 0 -rw-r--r-- count 0 \n" +
        "8: 3 0-1 1 [0] 0 0 -rw-r--r-- count 0 rtc0/\n" +
        "9: 3 0-1 2 [1] 0 0 -rw-r--r-- count 0 acpi/\n" +
        "sh: write error: Input/output error\n" +
        "0\n",
    );
  });
});
