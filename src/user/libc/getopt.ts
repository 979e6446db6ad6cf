/*
 * getopt.ts - option parsing as BusyBox's getopt32() does it on top of
 * glibc's getopt_long() (libbb/getopt32.c).
 *
 *   const o = getopt(argv, "nc:e:", [{ name: "lines", arg: 1, val: "n" }]);
 *   if (o instanceof GetoptError) ...      // the line glibc prints
 *   o.has("n"), o.arg("c"), o.list("e"), o.rest
 *
 * The spec is getopt's: a letter per option, "x:" when it takes an
 * argument, "x::" when the argument is optional (and must be attached:
 * -xARG). A leading "+" stops at the first non-option (env, time, xargs:
 * "env -i ls -d /" leaves "-d" to ls); otherwise options and operands may be
 * mixed and "--" ends the options, as glibc permutes argv. Long options
 * match on any unambiguous prefix (--full for --full-time), as in glibc.
 *
 * With longopts null it is plain getopt(), as head uses: "--bogus" is then
 * the short options "-", "b"... and fails on "-".
 *
 * Errors carry the exact wording glibc prints, prefixed with argv[0]:
 *   ls: invalid option -- 'y'
 *   head: option requires an argument -- 'n'
 *   ls: unrecognized option '--foo'
 *   nproc: option '--ignore' requires an argument
 *   ls: option '--full-time' doesn't allow an argument
 * The caller (libbb's bb_getopt) prints it and the usage text, status 1.
 *
 * Simplified: getopt32's complementary-options language is not modelled;
 * applets check their few option conflicts themselves.
 */

/** A long option: has_arg 0 (no), 1 (required) or 2 (optional, --x=ARG); val is the key it sets. */
export interface LongOpt {
  name: string;
  arg: 0 | 1 | 2;
  val: string;
}

export class GetoptError {
  constructor(readonly message: string) {}
}

/** The options seen, in order, and the operands left over. */
export class Options {
  /** Each option as it was seen: its key (letter or long val) and argument. */
  readonly seen: { key: string; arg: string | undefined }[] = [];
  /** The operands, in order. */
  readonly rest: string[] = [];

  has(key: string): boolean {
    return this.seen.some((s) => s.key === key);
  }

  /** How many times the option was given (-vv is 2). */
  count(key: string): number {
    return this.seen.filter((s) => s.key === key).length;
  }

  /** The argument of the last occurrence of the option. */
  arg(key: string): string | undefined {
    for (let i = this.seen.length - 1; i >= 0; i--) if (this.seen[i].key === key) return this.seen[i].arg;
    return undefined;
  }

  /** Every argument given to a repeatable option (grep -e A -e B). */
  list(key: string): string[] {
    return this.seen.filter((s) => s.key === key && s.arg !== undefined).map((s) => s.arg as string);
  }

  /** Which of the keys came last (ls -t -S: the later one wins). */
  last(...keys: string[]): string | undefined {
    for (let i = this.seen.length - 1; i >= 0; i--)
      if (keys.includes(this.seen[i].key)) return this.seen[i].key;
    return undefined;
  }
}

/** What each short option takes: 0 none, 1 required, 2 optional argument. */
function parse_spec(spec: string): Map<string, 0 | 1 | 2> {
  const m = new Map<string, 0 | 1 | 2>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (spec[i + 1] === ":" && spec[i + 2] === ":") {
      m.set(c, 2);
      i += 2;
    } else if (spec[i + 1] === ":") {
      m.set(c, 1);
      i += 1;
    } else m.set(c, 0);
  }
  return m;
}

/** glibc's long option lookup: an exact name, or the only option the prefix names. */
function find_long(longopts: LongOpt[], name: string): LongOpt | LongOpt[] | null {
  const exact = longopts.find((l) => l.name === name);
  if (exact) return exact;
  const cands = longopts.filter((l) => l.name.startsWith(name));
  if (cands.length === 0) return null;
  const first = cands[0];
  if (cands.every((c) => c.val === first.val && c.arg === first.arg)) return first;
  return cands;
}

/** Parses argv[1..] (argv[0] names the program in error messages). */
export function getopt(
  argv: readonly string[],
  spec: string,
  longopts: LongOpt[] | null = [],
): Options | GetoptError {
  const prog = argv[0] ?? "";
  const stopAtOperand = spec.startsWith("+");
  const shorts = parse_spec(stopAtOperand ? spec.slice(1) : spec);
  const o = new Options();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== "-") {
      if (stopAtOperand) break;
      o.rest.push(a);
      continue;
    }
    if (a.startsWith("--") && longopts !== null) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const found = find_long(longopts ?? [], name);
      if (found === null) return new GetoptError(`${prog}: unrecognized option '${a}'`);
      if (Array.isArray(found)) {
        const list = found.map((l) => `'--${l.name}'`).join(" ");
        return new GetoptError(
          `${prog}: option '${a.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities: ${list}`,
        );
      }
      let arg: string | undefined;
      if (eq >= 0) {
        if (found.arg === 0)
          return new GetoptError(`${prog}: option '--${found.name}' doesn't allow an argument`);
        arg = a.slice(eq + 1);
      } else if (found.arg === 1) {
        if (i + 1 >= argv.length)
          return new GetoptError(`${prog}: option '--${found.name}' requires an argument`);
        arg = argv[++i];
      }
      o.seen.push({ key: found.val, arg });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const kind = shorts.get(c);
      if (kind === undefined || c === ":") return new GetoptError(`${prog}: invalid option -- '${c}'`);
      if (kind === 0) {
        o.seen.push({ key: c, arg: undefined });
        continue;
      }
      const attached = a.slice(j + 1);
      if (attached) o.seen.push({ key: c, arg: attached });
      else if (kind === 2) o.seen.push({ key: c, arg: undefined });
      else if (i + 1 < argv.length) o.seen.push({ key: c, arg: argv[++i] });
      else return new GetoptError(`${prog}: option requires an argument -- '${c}'`);
      break;
    }
  }
  for (; i < argv.length; i++) o.rest.push(argv[i]);
  return o;
}
