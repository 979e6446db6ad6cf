/*
 * dmesg.ts - dmesg (util-linux/dmesg.c): the kernel log through syslog(2)
 * (klogctl). Without -r the "<N>" level prefix of each record is dropped
 * (FEATURE_DMESG_PRETTY). -c clears the log after reading it
 * (SYSLOG_ACTION_READ_CLEAR), -n LEVEL sets the console log level and
 * prints nothing, -s SIZE sizes the read buffer (16 KiB..16 MiB; only the
 * newest records that fit are shown).
 */

import {
  SYSLOG_ACTION_CONSOLE_LEVEL,
  SYSLOG_ACTION_READ_ALL,
  SYSLOG_ACTION_READ_CLEAR,
  SYSLOG_ACTION_SIZE_BUFFER,
} from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt, bb_perror_msg, INT_MAX, strtou_range_sfx, xnum } from "../libc/libbb.js";
import { enc, write_all } from "../libc/stdio.js";
import { syslog } from "../libc/sys.js";
import type { Applet } from "./registry.js";

const USAGE = `dmesg [-cr] [-n LEVEL] [-s SIZE]

Print or control the kernel ring buffer

\t-c\t\tClear ring buffer after printing
\t-n LEVEL\tSet console logging level
\t-s SIZE\t\tBuffer size
\t-r\t\tPrint raw message buffer`;

function* dmesg_main(argv: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "cs:n:r", USAGE);
  if (!o) return 1;
  const nArg = o.arg("n");
  const sArg = o.arg("s");
  let len = 0;
  if (sArg !== undefined) {
    const v = yield* xnum("dmesg", strtou_range_sfx(sArg, 10, 0, INT_MAX));
    if (v === null) return 1;
    len = v;
  }
  if (nArg !== undefined) {
    const level = yield* xnum("dmesg", strtou_range_sfx(nArg, 10, 0, INT_MAX));
    if (level === null) return 1;
    const r = yield* syslog(SYSLOG_ACTION_CONSOLE_LEVEL, level);
    if (typeof r === "number" && r < 0) {
      yield* bb_perror_msg("dmesg", "klogctl", r);
      return 1;
    }
    return 0;
  }
  if (sArg === undefined) {
    const size = yield* syslog(SYSLOG_ACTION_SIZE_BUFFER);
    len = typeof size === "number" ? size : 0;
  }
  len = Math.min(Math.max(len, 16 * 1024), 16 * 1024 * 1024);
  const r = yield* syslog(o.has("c") ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL, len);
  if (typeof r === "number") {
    if (r < 0) {
      yield* bb_perror_msg("dmesg", "klogctl", r);
      return 1;
    }
    return 0;
  }
  // Only the newest whole records that fit in the buffer.
  const records = r.split(/(?<=\n)/);
  let size = 0;
  let first = records.length;
  while (first > 0 && size + enc(records[first - 1]).length <= len) size += enc(records[--first]).length;
  let text = records.slice(first).join("");
  if (text.length === 0) return 0;
  if (!o.has("r")) text = text.replace(/^<\d+>/gm, "");
  if (!text.endsWith("\n")) text += "\n";
  yield* write_all(1, enc(text));
  return 0;
}

export const dmesg: Applet = { name: "dmesg", dir: "/bin", usage: USAGE, main: dmesg_main };
