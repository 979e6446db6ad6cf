/*
 * awk.ts - awk (editors/awk.c): pattern scanning and processing, BusyBox's
 * POSIX awk. This file is awk_main: the options, the program text, ARGV
 * and ENVIRON, and the error messages; the language lives in awk_lex.ts
 * (tokens), awk_parse.ts (grammar, values, arrays), awk_interp.ts (running
 * it), awk_builtin.ts (functions), awk_printf.ts (number formats) and
 * awk_io.ts (records, files, pipes).
 *
 *   awk [-F SEP] [-v VAR=VAL]... [-f PROGFILE]... [-e PROG]... [PROG] [FILE|VAR=VAL]...
 *
 * Options stop at the first operand (getopt32 "+F:v:*f:*e:*W:"). -F takes
 * escapes ("-F '\t'"); -f files and -e texts are parsed in turn, otherwise
 * the first operand is the program. Errors are BusyBox's: "awk: cmd.
 * line:LINE: MSG" (or "awk: PROGFILE:LINE: MSG") for syntax and run-time
 * errors, then exit 1.
 */

import { O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_error_msg, bb_getopt, bb_show_usage } from "../libc/libbb.js";
import { dec, read_all, strerror } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import { close, open } from "../libc/sys.js";
import { Awk, AwkFatal } from "./awk_interp.js";
import { AwkSyntaxError, unescape_string } from "./awk_lex.js";
import { AwkError } from "./awk_printf.js";
import { AwkArray, StrNum } from "./awk_value.js";
import type { Applet } from "./registry.js";

const USAGE = `awk [OPTIONS] [AWK_PROGRAM] [FILE]...

\t-v VAR=VAL\tSet variable
\t-F SEP\t\tUse SEP as field separator
\t-f FILE\t\tRead program from FILE
\t-e AWK_PROGRAM`;

/** A -f program file's text, or -errno. */
function* read_prog(path: string): UserGen<string | number> {
  const fd = path === "-" ? 0 : yield* open(path, O_RDONLY);
  if (fd < 0) return fd;
  const data = yield* read_all(fd);
  if (fd > 0) yield* close(fd);
  return typeof data === "number" ? data : dec(data);
}

function* awk_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "+F:v:f:e:W:", USAGE);
  if (!o) return 1;
  const rest = [...o.rest];
  const sources: [string, string][] = [];
  for (const s of o.seen) {
    if (s.key === "f") {
      const t = yield* read_prog(s.arg!);
      if (typeof t === "number") {
        yield* bb_error_msg("awk", `can't open '${s.arg}': ${strerror(t)}`);
        return 1;
      }
      sources.push([s.arg!, t]);
    } else if (s.key === "e") sources.push(["cmd. line", s.arg!]);
  }
  if (!sources.length) {
    if (!rest.length) return yield* bb_show_usage(USAGE);
    sources.push(["cmd. line", rest.shift()!]);
  }
  const awk = new Awk(envp, sources[0][0]);
  awk.out = yield* Writer.open(1);
  let progname = sources[0][0];
  try {
    if (o.has("W")) yield* bb_error_msg("awk", "warning: option -W is ignored");
    const fs = o.arg("F");
    if (fs !== undefined) awk.cell("FS").v = unescape_string(fs);
    for (const s of o.seen)
      if (s.key === "v" && !awk.operand_assignment(s.arg!)) return yield* bb_show_usage(USAGE);
    for (const [name, text] of sources) {
      progname = name;
      awk.parse_more(text);
    }
    const args = new AwkArray();
    args.set("0", new StrNum("awk"));
    for (let i = 0; i < rest.length; i++) args.set(String(i + 1), new StrNum(rest[i]));
    awk.cell("ARGV").a = args;
    awk.cell("ARGC").v = rest.length + 1;
    const status = yield* awk.run();
    yield* awk.finish();
    return status;
  } catch (e) {
    yield* awk.flush_all();
    if (e instanceof AwkSyntaxError) yield* bb_error_msg("awk", `${progname}:${e.line}: ${e.msg}`);
    else if (e instanceof AwkError) yield* bb_error_msg("awk", `${progname}:${awk.lineno}: ${e.msg}`);
    else if (e instanceof AwkFatal) yield* bb_error_msg("awk", e.msg);
    else throw e;
    return 1;
  }
}

export const awk: Applet = { name: "awk", dir: "/usr/bin", usage: USAGE, main: awk_main };
