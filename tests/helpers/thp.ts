/*
 * thp.ts - helpers of the transparent huge page tests: a -M pc machine
 * (THP built in) checked after every line, and `run` programs written
 * from the shell.
 */

import { checkedRunner } from "./machine.js";
import { stableRootfs } from "./rootfs.js";

export const MiB = 1024 * 1024;
export const THP = "/sys/kernel/mm/transparent_hugepage";

/** A -M pc machine (THP on), the invariant checker run after every line. */
export const pc = (memory = 256 * MiB): ((line: string) => string) =>
  checkedRunner({ machine: "pc", memory, rootfs: stableRootfs() });

/** The shell line that writes a `run` program to path. */
export const program = (path: string, lines: string[]): string =>
  `cat > ${path} <<'EOF'\n${lines.join("\n")}\nEOF`;
