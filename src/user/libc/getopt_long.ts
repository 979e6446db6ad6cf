/*
 * getopt_long.ts - glibc's getopt_long and getopt_long_only (posix/getopt.c)
 * as a state machine that is called again and again, for getopt(1), which
 * shows every step of it. (libc/getopt.ts is the simpler all-at-once parser
 * the other applets use through getopt32.)
 *
 * Each call returns the next option character, a long option's `val`, 1
 * for a non-option in RETURN_IN_ORDER mode ('-' leading the optstring),
 * '?' (or ':' when the optstring starts with ':') for an error, after
 * printing glibc's message unless the optstring starts with ':' or
 * opterr is off, and -1 at the end. In PERMUTE mode (the default) the
 * non-options are moved behind the options as glibc's exchange() does, so
 * argv[optind..] is what is left when it ends; '+' or $POSIXLY_CORRECT
 * stops at the first non-option (REQUIRE_ORDER). "W;" is not supported.
 */

export interface LongOption {
  name: string;
  /** 0 no argument, 1 required, 2 optional (only as --name=ARG). */
  has_arg: 0 | 1 | 2;
  val: number;
}

const PERMUTE = 0;
const REQUIRE_ORDER = 1;
const RETURN_IN_ORDER = 2;

export class GetoptLong {
  optind = 1;
  optarg: string | null = null;
  optopt = 0;
  longindex = -1;
  /** opterr: print messages (getopt(1) -q turns it off). */
  opterr = true;
  /** The messages printed, in order, each ending in "\n". */
  readonly errors: string[] = [];
  private nextchar = "";
  private first_nonopt = 1;
  private last_nonopt = 1;
  private readonly ordering: number;
  private readonly optstring: string;

  constructor(
    readonly argv: string[],
    optstring: string,
    readonly longopts: LongOption[],
    readonly long_only: boolean,
    posixly_correct: boolean,
  ) {
    if (optstring[0] === "-") {
      this.ordering = RETURN_IN_ORDER;
      optstring = optstring.slice(1);
    } else if (optstring[0] === "+") {
      this.ordering = REQUIRE_ORDER;
      optstring = optstring.slice(1);
    } else this.ordering = posixly_correct ? REQUIRE_ORDER : PERMUTE;
    this.optstring = optstring;
  }

  private get print_errors(): boolean {
    return this.opterr && this.optstring[0] !== ":";
  }

  private err(msg: string): void {
    if (this.print_errors) this.errors.push(`${this.argv[0]}: ${msg}\n`);
  }

  /** exchange(): the non-options [first_nonopt, last_nonopt) move behind the options up to optind. */
  private exchange(): void {
    const a = this.argv;
    const nonopts = a.slice(this.first_nonopt, this.last_nonopt);
    const opts = a.slice(this.last_nonopt, this.optind);
    a.splice(this.first_nonopt, this.optind - this.first_nonopt, ...opts, ...nonopts);
    this.first_nonopt += this.optind - this.last_nonopt;
    this.last_nonopt = this.optind;
  }

  private nonoption(i: number): boolean {
    const s = this.argv[i];
    return s[0] !== "-" || s.length === 1;
  }

  next(): number {
    const argv = this.argv;
    const argc = argv.length;
    this.optarg = null;
    if (this.nextchar === "") {
      if (this.last_nonopt > this.optind) this.last_nonopt = this.optind;
      if (this.first_nonopt > this.optind) this.first_nonopt = this.optind;
      if (this.ordering === PERMUTE) {
        if (this.first_nonopt !== this.last_nonopt && this.last_nonopt !== this.optind) this.exchange();
        else if (this.last_nonopt !== this.optind) this.first_nonopt = this.optind;
        while (this.optind < argc && this.nonoption(this.optind)) this.optind++;
        this.last_nonopt = this.optind;
      }
      if (this.optind !== argc && argv[this.optind] === "--") {
        this.optind++;
        if (this.first_nonopt !== this.last_nonopt && this.last_nonopt !== this.optind) this.exchange();
        else if (this.first_nonopt === this.last_nonopt) this.first_nonopt = this.optind;
        this.last_nonopt = argc;
        this.optind = argc;
      }
      if (this.optind === argc) {
        if (this.first_nonopt !== this.last_nonopt) this.optind = this.first_nonopt;
        return -1;
      }
      if (this.nonoption(this.optind)) {
        if (this.ordering === REQUIRE_ORDER) return -1;
        this.optarg = argv[this.optind++];
        return 1;
      }
      const arg = argv[this.optind];
      if (this.longopts.length) {
        if (arg[1] === "-") {
          this.nextchar = arg.slice(2);
          return this.long_option("--");
        }
        if (this.long_only && (arg.length > 2 || !this.optstring.includes(arg[1]))) {
          this.nextchar = arg.slice(1);
          const code = this.long_option("-");
          if (code !== -1) return code;
        }
      }
      this.nextchar = arg.slice(1);
    }
    const c = this.nextchar[0];
    this.nextchar = this.nextchar.slice(1);
    const at = this.optstring.indexOf(c);
    if (this.nextchar === "") this.optind++;
    if (at < 0 || c === ":" || c === ";") {
      this.err(`invalid option -- '${c}'`);
      this.optopt = c.charCodeAt(0);
      return 63; // '?'
    }
    if (this.optstring[at + 1] === ":") {
      if (this.optstring[at + 2] === ":") {
        if (this.nextchar !== "") {
          this.optarg = this.nextchar;
          this.optind++;
        }
      } else if (this.nextchar !== "") {
        this.optarg = this.nextchar;
        this.optind++;
      } else if (this.optind === argc) {
        this.err(`option requires an argument -- '${c}'`);
        this.optopt = c.charCodeAt(0);
        this.nextchar = "";
        return this.optstring[0] === ":" ? 58 : 63;
      } else this.optarg = argv[this.optind++];
      this.nextchar = "";
    }
    return c.charCodeAt(0);
  }

  /** process_long_option: -1 (long_only) when it is no long option and may be short ones. */
  private long_option(prefix: string): number {
    const text = this.nextchar;
    const eq = text.indexOf("=");
    const name = eq < 0 ? text : text.slice(0, eq);
    let found = this.longopts.findIndex((p) => p.name === name);
    if (found < 0) {
      const ambig = new Set<number>();
      this.longopts.forEach((p, i) => {
        if (!p.name.startsWith(name)) return;
        if (found < 0) found = i;
        else {
          const f = this.longopts[found];
          if (this.long_only || f.has_arg !== p.has_arg || f.val !== p.val) ambig.add(found).add(i);
        }
      });
      if (ambig.size) {
        const list = [...ambig]
          .sort((x, y) => x - y)
          .map((i) => ` '${prefix}${this.longopts[i].name}'`)
          .join("");
        this.err(`option '${prefix}${text}' is ambiguous; possibilities:${list}`);
        this.nextchar = "";
        this.optind++;
        this.optopt = 0;
        return 63;
      }
    }
    if (found < 0) {
      const arg = this.argv[this.optind];
      if (!this.long_only || arg[1] === "-" || !this.optstring.includes(text[0] ?? "\0")) {
        this.err(`unrecognized option '${prefix}${text}'`);
        this.nextchar = "";
        this.optind++;
        this.optopt = 0;
        return 63;
      }
      return -1;
    }
    const p = this.longopts[found];
    this.optind++;
    this.nextchar = "";
    if (eq >= 0) {
      if (p.has_arg) this.optarg = text.slice(eq + 1);
      else {
        this.err(`option '${prefix}${p.name}' doesn't allow an argument`);
        this.optopt = p.val;
        return 63;
      }
    } else if (p.has_arg === 1) {
      if (this.optind < this.argv.length) this.optarg = this.argv[this.optind++];
      else {
        this.err(`option '${prefix}${p.name}' requires an argument`);
        this.optopt = p.val;
        return this.optstring[0] === ":" ? 58 : 63;
      }
    }
    this.longindex = found;
    return p.val;
  }
}
