/*
 * slabtop.test.ts - slabtop -o (procps-ng 4.0): the summary and the table,
 * computed from a real kernel's /proc/slabinfo (the x86_64 reference, which
 * has partly used caches), the sort keys, and the option errors.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, render } from "../../../src/user/applets/slabtop.js";
import { sh } from "../../helpers/machine.js";

const ref = parse(readFileSync("tests/fixtures/reference/x86_64/cat_proc_slabinfo.txt", "utf8"))!;

describe("slabtop -o", () => {
  it("sums the caches and sorts by number of objects", () => {
    expect(render(ref, "nr_objs", 6)).toBe(` Active / Total Objects (% used)    : 69035 / 69547 (99.3%)
 Active / Total Slabs (% used)      : 2449 / 2449 (100.0%)
 Active / Total Caches (% used)     : 83 / 156 (53.2%)
 Active / Total Size (% used)       : 15503.13K / 15558.00K (99.6%)
 Minimum / Average / Maximum Object : 0.01K / 0.22K / 8.00K

  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   
 12288  12288 100%    0.13K    384       32      1536K kernfs_node_cache      
 11648  11648 100%    0.03K     91      128       364K lsm_inode_cache        
 11466  11466 100%    0.19K    546       21      2184K dentry                 
 11004  11004 100%    0.63K    917       12      7336K inode_cache            
  3869   3869 100%    0.05K     53       73       212K ftrace_event_field     
  2048   2048 100%    0.01K      4      512        16K kmalloc-8              
`);
  });

  it.each([
    ["use", "kmalloc-32", "  1408   1124  79%    0.03K     11      128        44K kmalloc-32             "],
    [
      "cache_size",
      "inode_cache",
      " 11004  11004 100%    0.63K    917       12      7336K inode_cache            ",
    ],
    [
      "obj_size",
      "kmalloc-8k",
      "    20     20 100%    8.00K      5        4       160K kmalloc-8k             ",
    ],
  ] as const)("-s %s: USE truncates like libproc2, sizes in KiB", (sort, name, row) => {
    const table = render(ref, sort, 1000).split("\n");
    expect(table.find((l) => l.endsWith(`${name.padEnd(23, " ")}`) && l.includes(` ${name} `))).toBe(row);
    if (sort === "use") expect(table[7]).toContain("100%");
  });

  it("reads this machine's /proc/slabinfo", () => {
    const r = sh("slabtop -o", { memory: 256 * 2 ** 20 });
    expect(`${r.output.split("\n").slice(6, 8).join("\n")}\n`).toMatch(
      /^ {2}OBJS ACTIVE {2}USE OBJ SIZE {2}SLABS OBJ\/SLAB CACHE SIZE NAME {19}\n +\d+ +\d+ +\d+% +\d+\.\d\dK +\d+ +\d+ +\d+K \S+ *\n$/,
    );
  });

  it.each([
    ["slabtop -d 0", "slabtop: delay must be positive integer\n1"],
    ["slabtop -d x", "slabtop: illegal delay: 'x'\n1"],
    ["slabtop -o -d 2", "slabtop: Cannot combine -d and -o options\n1"],
    ["slabtop -V", "slabtop from procps-ng 4.0.2\n0"],
  ])("%s", (cmd, expected) => {
    expect(sh(`${cmd} 2>&1; echo $?`, { memory: 256 * 2 ** 20 }).output).toBe(`${expected}\n`);
  });
});
