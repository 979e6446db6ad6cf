/*
 * init.ts - BusyBox init (init/init.c): process 1.
 *
 * Reads /etc/inittab ("id:runlevel:action:process"), runs the sysinit
 * entries one after another, then wait and once entries, then keeps the
 * respawn and askfirst entries running: an askfirst entry first prints
 * "Please press Enter to activate this console." on its tty and waits for
 * Enter. Each child gets a new session with its tty as stdin/stdout/stderr.
 * init reaps every orphan it inherits.
 */

import {
  O_RDWR,
  SIG_DFL,
  SIG_IGN,
  SIGCHLD,
  SIGHUP,
  SIGINT,
  SIGQUIT,
  SIGTSTP,
  SIGTTIN,
  SIGTTOU,
  TIOCSCTTY,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { getenv } from "../libc/proc.js";
import { puts, read_all } from "../libc/stdio.js";
import { close, dup2, execve, exit, fork, ioctl, open, read, setsid, sigaction, wait4 } from "../libc/sys.js";
import type { Applet } from "./registry.js";

interface InitAction {
  tty: string; // "" for the console
  action: string;
  command: string;
  pid: number;
}

const SHELL_META = "~`!$^&*()=|\\{}[];\"'<>?";

function parse_inittab(text: string): InitAction[] {
  const out: InitAction[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const parts = line.split(":");
    if (parts.length < 4) continue;
    const [tty, , action] = parts;
    const command = parts.slice(3).join(":");
    out.push({ tty, action, command, pid: 0 });
  }
  return out;
}

/** The default inittab BusyBox uses when /etc/inittab is missing. */
const DEFAULT_INITTAB =
  "::sysinit:/etc/init.d/rcS\n::askfirst:/bin/sh\n::ctrlaltdel:/sbin/reboot\n::shutdown:/sbin/swapoff -a\n::shutdown:/bin/umount -a -r\n::restart:/sbin/init\n";

/** Runs one inittab entry in a child: new session, its tty, then the command. */
function* run(a: InitAction, envp: string[]): UserGen<number> {
  return yield* fork(function* () {
    yield* setsid();
    if (a.tty) {
      const dev = a.tty.startsWith("/") ? a.tty : `/dev/${a.tty}`;
      const fd = yield* open(dev, O_RDWR);
      if (fd >= 0) {
        for (const n of [0, 1, 2]) yield* dup2(fd, n);
        if (fd > 2) yield* close(fd);
      }
    }
    yield* ioctl(0, TIOCSCTTY, 0);
    for (const sig of [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGCHLD])
      yield* sigaction(sig, SIG_DFL);
    if (a.action === "askfirst") {
      yield* puts(1, "\nPlease press Enter to activate this console. ");
      for (;;) {
        const r = yield* read(0, 1);
        if (typeof r === "number" || r.length === 0) break;
        if (r[0] === 10) break;
      }
    }
    let cmd = a.command;
    let login = false;
    if (cmd.startsWith("-")) {
      login = true;
      cmd = cmd.slice(1);
    }
    let argv: string[];
    if ([...cmd].some((c) => SHELL_META.includes(c))) argv = ["/bin/sh", "-c", `exec ${cmd}`];
    else argv = cmd.split(/\s+/).filter(Boolean);
    const path = argv[0];
    if (login) argv[0] = `-${argv[0].split("/").pop()}`;
    const r = yield* execve(path, argv, envp);
    yield* puts(2, `can't run '${path}': ${r === -2 ? "No such file or directory" : "Exec format error"}\n`);
    return yield* exit(1);
  });
}

function* init_main(_argv: string[], envp0: string[]): UserGen<number> {
  const envp = [...envp0];
  if (!getenv(envp, "PATH")) envp.push("PATH=/sbin:/usr/sbin:/bin:/usr/bin");
  if (!getenv(envp, "SHELL")) envp.push("SHELL=/bin/sh");
  if (!getenv(envp, "USER")) envp.push("USER=root");
  for (const sig of [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP]) yield* sigaction(sig, SIG_IGN);
  let text = DEFAULT_INITTAB;
  const fd = yield* open("/etc/inittab", 0);
  if (fd >= 0) {
    const data = yield* read_all(fd);
    yield* close(fd);
    if (typeof data !== "number") text = new TextDecoder().decode(data);
  }
  const actions = parse_inittab(text);
  for (const kind of ["sysinit", "wait"]) {
    for (const a of actions.filter((x) => x.action === kind)) {
      const pid = yield* run(a, envp);
      if (pid < 0) continue;
      for (;;) {
        const r = yield* wait4(-1, 0);
        if (typeof r === "number" || r.pid === pid) break;
      }
    }
  }
  for (const a of actions.filter((x) => x.action === "once")) yield* run(a, envp);
  const keep = actions.filter((x) => x.action === "respawn" || x.action === "askfirst");
  for (;;) {
    for (const a of keep) if (a.pid <= 0) a.pid = yield* run(a, envp);
    const r = yield* wait4(-1, 0);
    if (typeof r === "number") {
      if (keep.length === 0) yield* puts(2, "");
      continue;
    }
    for (const a of keep) if (a.pid === r.pid) a.pid = 0;
  }
}

export const init: Applet = { name: "init", dir: "/sbin", main: init_main };
