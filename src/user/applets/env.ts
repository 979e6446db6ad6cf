/*
 * env.ts - env (coreutils/env.c): print the environment, or run PROG in a
 * changed one. "-" or -i starts from nothing, -u NAME removes a variable,
 * NAME=VALUE arguments set one, -0 ends printed lines with NUL. A PROG
 * that is not found exits 127, one that cannot run 126.
 */

import { ENOENT } from "../../kernel/uapi/errno.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt } from "../libc/libbb.js";
import { execvp } from "../libc/proc.js";
import { enc, strerror, write_all } from "../libc/stdio.js";
import type { Applet } from "./registry.js";

const USAGE = `env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]

Print current environment or run PROG after setting up environment

\t-, -i\tStart with empty environment
\t-0\tNUL terminated output
\t-u NAME\tRemove variable from environment`;

function* env_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+iu:0", USAGE, [
    { name: "ignore-environment", arg: 0, val: "i" },
    { name: "unset", arg: 1, val: "u" },
    { name: "null", arg: 0, val: "0" },
  ]);
  if (!o) return 1;
  const rest = [...o.rest];
  let env = o.has("i") ? [] : [...envp];
  if (rest[0] === "-") {
    env = [];
    rest.shift();
  }
  for (const name of o.list("u")) env = env.filter((e) => !e.startsWith(`${name}=`));
  while (rest.length && rest[0].includes("=")) {
    const kv = rest.shift()!;
    const name = kv.slice(0, kv.indexOf("="));
    env = env.filter((e) => !e.startsWith(`${name}=`));
    env.push(kv);
  }
  if (rest.length) {
    const r = yield* execvp(rest, env);
    yield* bb_error_msg("env", `can't execute '${rest[0]}': ${strerror(r)}`);
    return r === -ENOENT ? 127 : 126;
  }
  const end = o.has("0") ? "\0" : "\n";
  yield* write_all(1, enc(env.map((e) => e + end).join("")));
  return 0;
}

export const env: Applet = { name: "env", dir: "/usr/bin", usage: USAGE, main: env_main };
