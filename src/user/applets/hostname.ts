/*
 * hostname.ts - hostname (networking/hostname.c): print the host name
 * (uname's nodename) or set it with sethostname(2), from an operand or
 * from the first word of each line of -F FILE. -s cuts the name at its
 * first dot; -f, -d and -i resolve it, which on this machine means a line
 * of /etc/hosts (there is no DNS); a name that is not there is
 * "hostname: NAME: Unknown host", as glibc's herror words it.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { read_text } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg } from "../libc/libbb.js";
import { puts } from "../libc/stdio.js";
import { sethostname, uname } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `hostname [-sidf] [HOSTNAME | -F FILE]

Show or set hostname or DNS domain name

\t-s\tShort
\t-i\tAddresses for the hostname
\t-d\tDNS domain name
\t-f\tFully qualified domain name
\t-F FILE\tUse FILE's content as hostname`;

/** gethostbyname through /etc/hosts: [canonical name, addresses], or null. */
function* gethostbyname(name: string): UserGen<[string, string[]] | null> {
  const hosts = yield* read_text("/etc/hosts");
  if (typeof hosts === "number") return null;
  let canon: string | null = null;
  const addrs: string[] = [];
  for (const line of hosts.split("\n")) {
    const f = line.replace(/#.*/, "").trim().split(/\s+/);
    if (f.length < 2 || !f.slice(1).includes(name)) continue;
    canon ??= f[1];
    addrs.push(f[0]);
  }
  return canon === null ? null : [canon, addrs];
}

function* do_sethostname(name: string): UserGen<number> {
  const r = yield* sethostname(name);
  if (r < 0) {
    yield* bb_perror_msg("hostname", "sethostname", r);
    return 1;
  }
  return 0;
}

function* hostname_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "dfisF:v", USAGE, [
    { name: "domain", arg: 0, val: "d" },
    { name: "fqdn", arg: 0, val: "f" },
    { name: "file", arg: 1, val: "F" },
  ]);
  if (!o) return 1;
  const buf = (yield* uname()).nodename;
  if (o.has("d") || o.has("f") || o.has("i")) {
    const hp = yield* gethostbyname(buf);
    if (!hp) {
      yield* bb_error_msg("hostname", `${buf}: Unknown host`);
      return 1;
    }
    const [h_name, addrs] = hp;
    const dot = h_name.indexOf(".");
    if (o.has("f")) yield* puts(1, `${h_name}\n`);
    else if (o.has("s")) yield* puts(1, `${dot < 0 ? h_name : h_name.slice(0, dot)}\n`);
    else if (o.has("d")) {
      if (dot >= 0) yield* puts(1, `${h_name.slice(dot + 1)}\n`);
    } else yield* puts(1, `${addrs.join(" ")}\n`);
    return 0;
  }
  if (o.has("s")) {
    const dot = buf.indexOf(".");
    yield* puts(1, `${dot < 0 ? buf : buf.slice(0, dot)}\n`);
    return 0;
  }
  const file = o.arg("F");
  if (file !== undefined) {
    const text = yield* read_text(file);
    if (typeof text === "number") {
      yield* bb_perror_msg("hostname", `can't open '${file}'`, text);
      return 1;
    }
    for (const line of text.split("\n")) {
      const word = line
        .replace(/#.*/, "")
        .trim()
        .split(/[ \t]+/)[0];
      if (word && (yield* do_sethostname(word))) return 1;
    }
    return 0;
  }
  if (o.rest.length) return yield* do_sethostname(o.rest[0]);
  yield* puts(1, `${buf}\n`);
  return 0;
}

export const hostname: Applet = { name: "hostname", dir: "/bin", usage: USAGE, main: hostname_main };
