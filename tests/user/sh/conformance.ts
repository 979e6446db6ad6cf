/*
 * conformance.ts - the cases of the ash conformance suite and the way each
 * runs inside mmbox (see conformance.test.ts for the whole story).
 *
 * A script may say `# needs: APPLET...` on a line: it is skipped until those
 * applets exist in user/applets. Scripts that can never match real ash are
 * in SKIP with the reason.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_MTIME, load_rootfs } from "../../../src/host/rootfs.js";
import { S_IFREG } from "../../../src/kernel/uapi/abi.js";
import { PlainSession } from "../../../src/plain/run.js";
import { applets } from "../../../src/user/applets/registry.js";

const ROOT = join(import.meta.dirname, "../../..");
export const SCRIPTS = join(ROOT, "tests/user/sh/scripts");
export const FIXTURES = join(ROOT, "tests/fixtures/ash");

/** Scripts that can never match, and why. */
export const SKIP: Record<string, string> = {};

export interface Case {
  /** category/NAME */
  key: string;
  name: string;
  script: string;
  expected: string;
  status: number;
  /** Applets the script needs that mmbox does not have yet. */
  missing: string[];
}

export function categories(): string[] {
  return readdirSync(SCRIPTS).sort();
}

export function cases(category: string): Case[] {
  return readdirSync(join(SCRIPTS, category))
    .filter((f) => f.endsWith(".sh"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      const script = readFileSync(join(SCRIPTS, category, f), "utf8");
      const needs = /^# needs: (.*)$/m.exec(script)?.[1].split(/\s+/).filter(Boolean) ?? [];
      return {
        key: `${category}/${name}`,
        name,
        script,
        expected: readFileSync(join(FIXTURES, category, `${name}.out`), "utf8"),
        status: Number(readFileSync(join(FIXTURES, category, `${name}.status`), "utf8").trim()),
        missing: needs.filter((a) => !applets.has(a)),
      };
    });
}

const encoder = new TextEncoder();

/**
 * Runs a script as the recorder did: `sh x.sh` in /root of a fresh machine
 * (the script is the only file there), stdin from /dev/null, stdout and
 * stderr together into a file. Returns that file and the exit status.
 */
export function runScript(script: string): { output: string; status: number } {
  const rootfs = [
    ...load_rootfs(),
    { path: "/root/x.sh", mode: S_IFREG | 0o644, mtime: IMAGE_MTIME, data: encoder.encode(script) },
  ];
  const s = new PlainSession({ machine: "vexpress-a9", memory: 256 << 20, rootfs });
  s.take();
  s.line("cd /root && sh x.sh </dev/null >/tmp/.out 2>&1; echo $? >/tmp/.status");
  // anything here is the console shell's own complaint: keep it, so a test shows it
  const stray = s.take();
  s.line("cat /tmp/.out");
  const output = s.take();
  s.line("cat /tmp/.status");
  const status = Number(s.take().trim());
  s.end();
  return { output: stray + output, status };
}
