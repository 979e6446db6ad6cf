/*
 * The small /proc files of the console and the legacy tables: consoles
 * (fs/proc/consoles.c), execdomains (kernel/exec_domain.c), dma
 * (kernel/dma.c, x86 only), fb and locks (empty: no framebuffer, no locks).
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/consoles and friends", () => {
  it.each([
    // 8250: CON_PRINTBUFFER | CON_ANYTIME, tty 4:64
    ["pc", "ttyS0                -W- (EC p a)    4:64\n", " 4: cascade\n"],
    // PL011: CON_PRINTBUFFER only, tty 204:64; no ISA DMA
    [
      "vexpress-a9",
      "ttyAMA0              -W- (EC p  )  204:64\n",
      "cat: can't open '/proc/dma': No such file or directory\n",
    ],
    [
      "virt",
      "ttyAMA0              -W- (EC p  )  204:64\n",
      "cat: can't open '/proc/dma': No such file or directory\n",
    ],
  ] as const)("%s", (machine, consoles, dma) => {
    const r = sh(
      [
        "cat /proc/consoles",
        "cat /proc/execdomains",
        "cat /proc/dma 2>&1",
        "wc -c < /proc/fb; wc -c < /proc/locks",
      ],
      { machine },
    );
    expect(r.output).toBe(`${consoles}0-0\tLinux           \t[kernel]\n${dma}0\n0\n`);
  });
});
