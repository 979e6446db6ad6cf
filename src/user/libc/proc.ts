/*
 * proc.ts - process helpers of libc: spawning a program and waiting for it,
 * finding a command in PATH, exit statuses.
 */

import { S_ISDIR, X_OK } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { access, execve, stat, wait4 } from "./sys.js";

/** The value of NAME in an environment list. */
export function getenv(envp: readonly string[], name: string): string | undefined {
  const p = `${name}=`;
  for (let i = envp.length - 1; i >= 0; i--) if (envp[i].startsWith(p)) return envp[i].slice(p.length);
  return undefined;
}

export const DEFAULT_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";

/** Where `name` would be found in PATH (or itself when it holds a slash); null when nowhere. */
export function* find_in_path(name: string, path: string): UserGen<string | null> {
  if (name.includes("/")) return name;
  for (const dir of path.split(":")) {
    const full = `${dir || "."}/${name}`;
    if ((yield* access(full, X_OK)) === 0) {
      const st = yield* stat(full);
      if (typeof st !== "number" && !S_ISDIR(st.st_mode)) return full;
    }
  }
  return null;
}

/** execvp: exec `argv[0]` searched in PATH; returns -errno when it cannot. */
export function* execvp(argv: string[], envp: string[]): UserGen<number> {
  const full = yield* find_in_path(argv[0], getenv(envp, "PATH") ?? DEFAULT_PATH);
  if (!full) return -2;
  return yield* execve(full, argv, envp);
}

/** waitpid for one child: its wait status, or -errno. */
export function* waitpid(pid: number, options = 0): UserGen<number> {
  const r = yield* wait4(pid, options);
  return typeof r === "number" ? r : r.status;
}
