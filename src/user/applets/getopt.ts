/*
 * getopt.ts - getopt(1) (util-linux/getopt.c): parse PARAMS with glibc's
 * getopt_long (libc/getopt_long.ts) and print them back in a canonical
 * form for "eval set --": each option (" -a", " -b 'ARG'", " --long 'ARG'"),
 * then " --" and the operands, quoted for the shell unless -u. Errors are
 * glibc's messages under PROGNAME (-n) and make the status 1, but parsing
 * goes on. -o gives the short options (else the first operand is the
 * OPTSTRING), -l adds long ones ("name", "name:" required, "name::"
 * optional argument, separated by commas or blanks), -a lets them start
 * with one '-'. -s tcsh also quotes '!' and white space. -T exits 4.
 *
 * The old form "getopt OPTSTRING PARAMS" (a first argument that is no
 * option, or $GETOPT_COMPATIBLE) prints without quotes.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { GetoptLong, type LongOption } from "../libc/getopt_long.js";
import { bb_error_msg, bb_getopt } from "../libc/libbb.js";
import { getenv } from "../libc/proc.js";
import { puts } from "../libc/stdio.js";
import { Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const USAGE = `getopt [OPTIONS] [--] OPTSTRING PARAMS

\t-a\t\tAllow long options starting with single -
\t-l LOPT[,...]\tLong options to recognize
\t-n PROGNAME\tThe name under which errors are reported
\t-o OPTSTRING\tShort options to recognize
\t-q\t\tNo error messages on unrecognized options
\t-Q\t\tNo normal output
\t-s SHELL\tSet shell quoting conventions
\t-T\t\tVersion test (exits with 4)
\t-u\t\tDon't quote output

Example:

O=\`getopt -l bb: -- ab:c:: "$@"\` || exit 1
eval set -- "$O"
while true; do
\tcase "$1" in
\t-a)\techo A; shift;;
\t-b|--bb) echo "B:'$2'"; shift 2;;
\t-c)\tcase "$2" in
\t\t"")\techo C; shift 2;;
\t\t*)\techo "C:'$2'"; shift 2;;
\t\tesac;;
\t--)\tshift; break;;
\t*)\techo Error; exit 1;;
\tesac
done`;

/** getopt_long's code for a long option (LONG_OPT). */
const LONG_OPT = 2;
/** ... and for a non-option in '-' mode (NON_OPT). */
const NON_OPT = 1;

interface Style {
  quote: boolean;
  tcsh: boolean;
}

/** normalize(): ARG in single quotes, a quote as '\'' (and for tcsh '\!', \n, '\ '). */
function normalize(arg: string, st: Style): string {
  if (!st.quote) return arg;
  let out = "'";
  for (const c of arg) {
    if (c === "'") out += "'\\''";
    else if (st.tcsh && c === "!") out += "'\\!'";
    else if (st.tcsh && c === "\n") out += "\\n";
    else if (st.tcsh && /[ \t\v\f\r]/.test(c)) out += `'\\${c}'`;
    else out += c;
  }
  return `${out}'`;
}

/** add_long_options(): "a,b:,c::" (or blank-separated) as long options. */
function add_long_options(list: LongOption[], spec: string): LongOption[] | string {
  for (const tok of spec.split(/[, \t\n]+/)) {
    if (!tok) continue;
    let name = tok;
    let has_arg: 0 | 1 | 2 = 0;
    if (name.endsWith("::") && name.length > 1) {
      has_arg = 2;
      name = name.slice(0, -2);
    } else if (name.endsWith(":")) {
      has_arg = 1;
      name = name.slice(0, -1);
    }
    if (has_arg && name === "") return "empty long option specified";
    list.push({ name, has_arg, val: LONG_OPT });
  }
  return list;
}

/** generate_output(): the canonical line, and the status (1 after any error). */
function* generate_output(
  argv: string[],
  optstr: string,
  longopts: LongOption[],
  o: { alternative: boolean; quiet_errors: boolean; quiet_output: boolean; posix: boolean },
  st: Style,
): UserGen<number> {
  const g = new GetoptLong(argv, optstr, longopts, o.alternative, o.posix);
  g.opterr = !o.quiet_errors;
  let exit_code = 0;
  let line = "";
  for (;;) {
    const opt = g.next();
    for (const e of g.errors.splice(0)) yield* puts(2, e);
    if (opt === -1) break;
    if (opt === 63 || opt === 58) exit_code = 1;
    else if (!o.quiet_output) {
      if (opt === LONG_OPT) {
        const p = longopts[g.longindex];
        line += ` --${p.name}`;
        if (p.has_arg) line += ` ${normalize(g.optarg ?? "", st)}`;
      } else if (opt === NON_OPT) line += ` ${normalize(g.optarg ?? "", st)}`;
      else {
        const c = String.fromCharCode(opt);
        line += ` -${c}`;
        const at = optstr.indexOf(c);
        if (at >= 0 && optstr[at + 1] === ":") line += ` ${normalize(g.optarg ?? "", st)}`;
      }
    }
  }
  if (!o.quiet_output) {
    line += " --";
    for (const a of argv.slice(g.optind)) line += ` ${normalize(a, st)}`;
    const out = yield* Writer.open(1);
    yield* out.puts(`${line}\n`);
    yield* out.flush();
  }
  return exit_code;
}

function* getopt_main(argv: string[], envp: string[]): UserGen<number> {
  const compatible = getenv(envp, "GETOPT_COMPATIBLE") !== undefined;
  const posix = getenv(envp, "POSIXLY_CORRECT") !== undefined;
  if (argv.length < 2) {
    if (compatible) {
      yield* puts(1, " --\n");
      return 0;
    }
    yield* bb_error_msg("getopt", "missing optstring argument");
    return 1;
  }
  const flags = { alternative: false, quiet_errors: false, quiet_output: false, posix };
  if (argv[1][0] !== "-" || compatible) {
    const optstr = argv[1].replace(/^[-+]*/, "");
    return yield* generate_output([argv[0], ...argv.slice(2)], optstr, [], flags, {
      quote: false,
      tcsh: false,
    });
  }
  const o = yield* bb_getopt(argv, "+o:n:qQs:Tual:", USAGE, [
    { name: "options", arg: 1, val: "o" },
    { name: "longoptions", arg: 1, val: "l" },
    { name: "quiet", arg: 0, val: "q" },
    { name: "quiet-output", arg: 0, val: "Q" },
    { name: "shell", arg: 1, val: "s" },
    { name: "test", arg: 0, val: "T" },
    { name: "unquoted", arg: 0, val: "u" },
    { name: "alternative", arg: 0, val: "a" },
    { name: "name", arg: 1, val: "n" },
  ]);
  if (!o) return 1;
  let longopts: LongOption[] = [];
  for (const spec of o.list("l")) {
    const r = add_long_options(longopts, spec);
    if (typeof r === "string") {
      yield* bb_error_msg("getopt", r);
      return 1;
    }
    longopts = r;
  }
  const st: Style = { quote: !o.has("u"), tcsh: false };
  const shell = o.arg("s");
  if (shell !== undefined && shell !== "bash" && shell !== "sh") {
    if (shell === "tcsh" || shell === "csh") st.tcsh = true;
    else yield* bb_error_msg("getopt", `unknown shell '${shell}', assuming bash`);
  }
  if (o.has("T")) return 4;
  flags.alternative = o.has("a");
  flags.quiet_errors = o.has("q");
  flags.quiet_output = o.has("Q");
  let optstr = o.arg("o");
  let params = o.rest;
  if (optstr === undefined) {
    if (params.length === 0) {
      yield* bb_error_msg("getopt", "missing optstring argument");
      return 1;
    }
    optstr = params[0];
    params = params.slice(1);
  }
  return yield* generate_output([o.arg("n") ?? argv[0], ...params], optstr, longopts, flags, st);
}

export const getopt: Applet = { name: "getopt", dir: "/bin", usage: USAGE, main: getopt_main };
