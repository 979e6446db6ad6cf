#!/usr/bin/env node
// Replays the reference batch script (reference/real-linux/programs/cmds.sh) through mmbox and
// compares each command's output with the real Linux transcript by STRUCTURE, not by value.
//
//   npm run build && node scripts/replay-reference.mjs [--arch x86_64|armhf|both]
//        [--only 13,14,...] [--diff N] [--quiet] [--save DIR | --from DIR] [--timeout SECONDS]
//        [--mem SIZE] [--smp N]
//
// --save DIR keeps mmbox's console as DIR/ARCH.console.txt; --from DIR compares such a saved
// console again instead of running mmbox (a full run takes minutes). --mem and --smp boot another
// size of the same machine: the shapes must still match (values are not compared), which is how
// mmbox is checked on configurations the reference does not cover.
//
// The guest of the reference ran `sh /cmds.sh 2>&1` with an ext2 disk (256 MiB, holding a 64 MiB
// file data64 written on the host) and an empty 512 MiB swap disk. Here the same script is
// written to /cmds.sh by a here-document typed into mmbox's console in plain mode, then run by
// `sh /cmds.sh 2>&1`, so that, as in the guest, the shell running it is not interactive (no job
// notices; errors read `/cmds.sh: eval: line N: `). The machine matches the guest's QEMU line:
// `-M pc --smp 2 -m 1024M` for x86_64, the default vexpress-a9 for armhf, the same --append,
// two empty virtio disks. What the guest had
// beforehand is prepared by a few setup lines the script brackets with `=== SETUP:` markers:
// just before the ext2 section the disk is formatted and data64 written, then unmounted. (The
// script's own helpers, memtotal_mb and wait_rss, run as they are: they use BusyBox awk.)
// Output is split at the `=== CMD: ` lines like the reference's cmds/NNN-*.txt (a `=== ` line of
// any other kind ends a command), and each command is compared line by line after reducing
// every line to a shape: runs of digits and hex digits (and UUIDs) become `#`, blanks are squeezed.
//   ok      same shapes in the same order (runs of equal shapes count once: a list may be longer)
//   cols    same shapes, but some field neither starts nor ends in the reference's column
//   differs the shapes differ: the report shows a short diff (- reference, + mmbox)
// The boot console (before the first command) is not compared.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REF = process.env.MMBOX_REFERENCE ?? "/work/shared/reference/real-linux";

const MACHINES = {
  x86_64: [
    "-M",
    "pc",
    "--smp",
    "2",
    "-m",
    "1024M",
    "--disk",
    "256M",
    "--disk",
    "512M",
    "--append",
    "panic=-1 refmode=batch",
  ],
  armhf: ["-M", "vexpress-a9", "--disk", "256M", "--disk", "512M", "--append", "panic=-1 refmode=batch"],
};

/** The machine's flags, with --mem and --smp in place of the reference's. */
function machineArgs(arch) {
  const a = [...MACHINES[arch]];
  const set = (flag, v) => {
    const i = a.indexOf(flag);
    if (i >= 0) a[i + 1] = v;
    else a.unshift(flag, v);
  };
  if (opts.mem) set("-m", opts.mem);
  if (opts.smp) set("--smp", opts.smp);
  return a;
}

// ---- arguments ------------------------------------------------------------------------------
const opts = {
  arch: "both",
  only: null,
  diff: 8,
  quiet: false,
  save: null,
  from: null,
  timeout: 1800,
  mem: null,
  smp: null,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--arch") opts.arch = argv[++i];
  else if (a === "--only") opts.only = new Set(argv[++i].split(",").map(Number));
  else if (a === "--diff") opts.diff = Number(argv[++i]);
  else if (a === "--quiet") opts.quiet = true;
  else if (a === "--save") opts.save = argv[++i];
  else if (a === "--timeout") opts.timeout = Number(argv[++i]);
  else if (a === "--from") opts.from = argv[++i];
  else if (a === "--mem") opts.mem = argv[++i];
  else if (a === "--smp") opts.smp = argv[++i];
  else {
    console.error(
      `usage: replay-reference.mjs [--arch x86_64|armhf|both] [--only N,..] [--diff N] [--quiet] [--save DIR | --from DIR] [--timeout S] [--mem SIZE] [--smp N]`,
    );
    process.exit(2);
  }
}
if (!existsSync(join(ROOT, "dist/mmbox.js"))) {
  console.error("replay-reference: run `npm run build` first");
  process.exit(2);
}

// ---- the script run in mmbox -----------------------------------------------------------------
const SETUP_DISK = [
  'echo "=== SETUP: ext2 disk with data64"',
  "mke2fs -q $DISK > /dev/null 2>&1; mkdir -p /mnt/disk",
  "mount -t ext2 $DISK /mnt/disk && dd if=/dev/urandom of=/mnt/disk/data64 bs=1M count=64 2>/dev/null; sync; umount /mnt/disk",
];

/** cmds.sh with the setup lines, written to /cmds.sh by a here-document and run as the guest did. */
function guestScript() {
  const lines = readFileSync(join(REF, "programs/cmds.sh"), "utf8").split("\n");
  const out = [];
  for (const l of lines) {
    if (l.startsWith('section "page cache: ext2')) out.push(...SETUP_DISK);
    out.push(l);
  }
  out.push('echo "=== SETUP: done"');
  return `cat > /cmds.sh <<'EOF_CMDS'\n${out.join("\n")}\nEOF_CMDS\nsh /cmds.sh 2>&1\n`;
}

// ---- splitting ------------------------------------------------------------------------------
/** Splits a console transcript into [{cmd, lines}] at `=== CMD: ` markers. */
function split(text) {
  const cmds = [];
  let cur = null;
  for (const raw of text.replaceAll("\r", "").split("\n")) {
    if (raw.startsWith("=== CMD: ")) {
      cur = { cmd: raw.slice(9), lines: [] };
      cmds.push(cur);
    } else if (raw.startsWith("=== ")) cur = null;
    else if (cur) cur.lines.push(raw);
  }
  for (const c of cmds) while (c.lines.length && c.lines.at(-1) === "") c.lines.pop();
  return cmds;
}

function referenceCmds(arch) {
  const dir = join(REF, arch, "mem1024M/cmds");
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}-/.test(f) && !f.includes("boot-console"))
    .sort();
  return files.map((f) => {
    const [c] = split(readFileSync(join(dir, f), "utf8"));
    return { n: Number(f.slice(0, 3)), cmd: c?.cmd ?? f, lines: c?.lines ?? [] };
  });
}

// ---- shapes ---------------------------------------------------------------------------------
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const shape = (l) =>
  l
    .replace(UUID, "#")
    .replace(/[0-9a-fA-F]*[0-9][0-9a-fA-F]*/g, "#")
    .replace(/\s+/g, " ")
    .trimEnd();
const cmdKey = (c) => shape(c).replace(/\/dev\/vd[a-z]/g, "/dev/vdX");

/** Fields of a line: [start, end) columns of each run of non-blanks. */
function fields(l) {
  const f = [];
  for (const m of l.matchAll(/\S+/g)) f.push([m.index, m.index + m[0].length]);
  return f;
}
/**
 * True when every field of b is placed like the same field of a: it starts or ends in the same
 * column (a left- or right-aligned table column), or follows the previous field by the same gap
 * (running text, where a wider value only pushes the rest along).
 */
function sameColumns(a, b) {
  const fa = fields(a);
  const fb = fields(b);
  if (fa.length !== fb.length) return true; // shapes equal but blanks inside: not a table
  return fa.every(([s, e], i) => {
    if (s === fb[i][0] || e === fb[i][1]) return true;
    return i > 0 && s - fa[i - 1][1] === fb[i][0] - fb[i - 1][1];
  });
}

/** Consecutive lines of equal shape count once. */
function runs(lines) {
  const out = [];
  for (const l of lines) {
    const s = shape(l);
    if (out.length && out.at(-1).s === s) out.at(-1).n++;
    else out.push({ s, l, n: 1 });
  }
  return out;
}

/** LCS diff of two run lists: [{op: "=", "-", "+", a, b}]. */
function diff(a, b) {
  const n = a.length;
  const m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      L[i][j] = a[i].s === b[j].s ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i].s === b[j].s) ops.push({ op: "=", a: a[i++], b: b[j++] });
    else if (L[i + 1][j] >= L[i][j + 1]) ops.push({ op: "-", a: a[i++] });
    else ops.push({ op: "+", b: b[j++] });
  }
  while (i < n) ops.push({ op: "-", a: a[i++] });
  while (j < m) ops.push({ op: "+", b: b[j++] });
  return ops;
}

function compare(ref, got) {
  const a = runs(ref.lines);
  const b = runs(got.lines);
  const ops = diff(a, b);
  const bad = ops.filter((o) => o.op !== "=");
  if (bad.length) return { verdict: "differs", ops: bad };
  const cols = ops.filter((o) => !sameColumns(o.a.l, o.b.l));
  if (cols.length) return { verdict: "cols", ops: cols };
  return { verdict: "ok", ops: [] };
}

// ---- pairing the two command lists ----------------------------------------------------------
function pair(refs, gots) {
  const a = refs.map((r) => ({ s: cmdKey(r.cmd) }));
  const b = gots.map((g) => ({ s: cmdKey(g.cmd) }));
  const pairs = [];
  let j = 0;
  let i = 0;
  for (const o of diff(a, b)) {
    if (o.op === "=") pairs.push([refs[i++], gots[j++]]);
    else if (o.op === "-") pairs.push([refs[i++], null]);
    else j++;
  }
  return pairs;
}

// ---- main -----------------------------------------------------------------------------------
const cut = (s) => (s.length > 110 ? `${s.slice(0, 107)}...` : s);
const summary = [];
for (const arch of opts.arch === "both" ? ["x86_64", "armhf"] : [opts.arch]) {
  const args = [join(ROOT, "bin/mmbox.js"), ...machineArgs(arch)];
  const t0 = Date.now();
  const r = opts.from
    ? { stdout: readFileSync(join(opts.from, `${arch}.console.txt`), "utf8") }
    : spawnSync(process.execPath, args, {
        input: guestScript(),
        encoding: "utf8",
        maxBuffer: 256 << 20,
        timeout: opts.timeout * 1000,
      });
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  const text = r.stdout ?? "";
  if (opts.save && !opts.from) {
    mkdirSync(opts.save, { recursive: true });
    writeFileSync(join(opts.save, `${arch}.console.txt`), text);
  }
  const refs = referenceCmds(arch);
  const gots = split(text);
  let differs = 0;
  let cols = 0;
  let missing = 0;
  console.log(
    `## ${arch}: mmbox ${args.slice(1).join(" ")} (${secs} s${r.error ? `, ${r.error.code}` : ""})`,
  );
  for (const [ref, got] of pair(refs, gots)) {
    if (opts.only && !opts.only.has(ref.n)) continue;
    const id = String(ref.n).padStart(3, "0");
    if (!got) {
      missing++;
      console.log(`${id} missing  ${cut(ref.cmd)}`);
      continue;
    }
    const c = compare(ref, got);
    if (c.verdict === "differs") differs++;
    if (c.verdict === "cols") cols++;
    if (opts.quiet && c.verdict === "ok") continue;
    console.log(`${id} ${c.verdict.padEnd(8)} ${cut(ref.cmd)}`);
    if (opts.quiet) continue;
    for (const o of c.ops.slice(0, opts.diff)) {
      if (o.op === "-") console.log(`    - ${cut(o.a.l)}`);
      else if (o.op === "+") console.log(`    + ${cut(o.b.l)}`);
      else console.log(`    - ${cut(o.a.l)}\n    + ${cut(o.b.l)}`);
    }
    if (c.ops.length > opts.diff) console.log(`    ... ${c.ops.length - opts.diff} more`);
  }
  const total = opts.only ? opts.only.size : refs.length;
  summary.push(
    `${arch}: ${total} commands, ${differs} differ, ${cols} differ in columns only, ${missing} missing`,
  );
}
console.log(`\n${summary.join("\n")}`);
