/*
 * bc.ts - bc and dc (BusyBox miscutils/bc.c: bc_main, dc_main, zxc_vm_*):
 * the option parsing, bc's -l library, and the loop that parses one
 * statement (bc) or command (dc) and runs it before reading on.
 *
 * Pieces: bc_num.ts (numbers), bc_lex.ts (tokens), bc_parse.ts (code),
 * bc_program.ts (the machine and number printing).
 *
 * Errors end the program with status 1 unless stdin is a terminal; then bc
 * forgets the rest of the line and reads on, as BusyBox's interactive mode
 * does (without its line editing).
 */

import { O_RDONLY } from "../../kernel/uapi/abi.js";
import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { bb_getopt } from "../libc/libbb.js";
import { getenv } from "../libc/proc.js";
import { latin1, puts, strerror, write_all } from "../libc/stdio.js";
import { isatty, Reader } from "../libc/stream.js";
import { close, open } from "../libc/sys.js";
import { L, Lexer, type LineSource, NeedMore } from "./bc_lex.js";
import { BcError } from "./bc_num.js";
import { BcParser } from "./bc_parse.js";
import { BcQuit, Program } from "./bc_program.js";
import { DcParser } from "./dc_parse.js";
import type { Applet } from "./registry.js";

const BC_USAGE = `bc [-sqlw] [FILE]...

Arbitrary precision calculator

\t-q\tQuiet
\t-l\tLoad standard library
\t-s\tBe POSIX compatible
\t-w\tWarn if extensions are used

$BC_LINE_LENGTH changes output width`;

const DC_USAGE = `dc [-x] [-eSCRIPT]... [-fFILE]... [FILE]...

Tiny RPN calculator. Operations:
Arithmetic: + - * / % ^
~ - divide with remainder
| - modular exponentiation
v - square root
p - print top of the stack without popping
f - print entire stack
k - pop the value and set precision
i - pop the value and set input radix
o - pop the value and set output radix
Examples: dc -e'2 2 + p' -> 4, dc -e'8 8 * 2 2 + / p' -> 16`;

/** bc.c's bc_lib: the -l functions, written in bc. */
const BC_LIB = `scale=20
define e(x){
auto b,s,n,r,d,i,p,f,v
b=ibase
ibase=A
if(x<0){
n=1
x=-x
}
s=scale
r=6+s+.44*x
scale=scale(x)+1
while(x>1){
d+=1
x/=2
scale+=1
}
scale=r
r=x+1
p=x
f=v=1
for(i=2;v;++i){
p*=x
f*=i
v=p/f
r+=v
}
while(d--)r*=r
scale=s
ibase=b
if(n)return(1/r)
return(r/1)
}
define l(x){
auto b,s,r,p,a,q,i,v
b=ibase
ibase=A
if(x<=0){
r=(1-10^scale)/1
ibase=b
return(r)
}
s=scale
scale+=6
p=2
while(x>=2){
p*=2
x=sqrt(x)
}
while(x<=.5){
p*=2
x=sqrt(x)
}
r=a=(x-1)/(x+1)
q=a*a
v=1
for(i=3;v;i+=2){
a*=q
v=a/i
r+=v
}
r*=p
scale=s
ibase=b
return(r/1)
}
define s(x){
auto b,s,r,a,q,i
if(x<0)return(-s(-x))
b=ibase
ibase=A
s=scale
scale=1.1*s+2
a=a(1)
scale=0
q=(x/a+2)/4
x-=4*q*a
if(q%2)x=-x
scale=s+2
r=a=x
q=-x*x
for(i=3;a;i+=2){
a*=q/(i*(i-1))
r+=a
}
scale=s
ibase=b
return(r/1)
}
define c(x){
auto b,s
b=ibase
ibase=A
s=scale
scale*=1.2
x=s(2*a(1)+x)
scale=s
ibase=b
return(x/1)
}
define a(x){
auto b,s,r,n,a,m,t,f,i,u
b=ibase
ibase=A
n=1
if(x<0){
n=-1
x=-x
}
if(scale<65){
if(x==1)return(.7853981633974483096156608458198757210492923498437764552437361480/n)
if(x==.2)return(.1973955598498807583700497651947902934475851037878521015176889402/n)
}
s=scale
if(x>.2){
scale+=5
a=a(.2)
}
scale=s+3
while(x>.2){
m+=1
x=(x-.2)/(1+.2*x)
}
r=u=x
f=-x*x
t=1
for(i=3;t;i+=2){
u*=f
t=u/i
r+=t
}
scale=s
ibase=b
return((m*a+r)/n)
}
define j(n,x){
auto b,s,o,a,i,v,f
b=ibase
ibase=A
s=scale
scale=0
n/=1
if(n<0){
n=-n
o=n%2
}
a=1
for(i=2;i<=n;++i)a*=i
scale=1.5*s
a=(x^n)/2^n/a
r=v=1
f=-x*x/4
scale+=length(a)-scale(a)
for(i=1;v;++i){
v=v*f/i/(n+i)
r+=v
}
scale=s
ibase=b
if(o)a=-a
return(a*r/1)
}`;

/** Lines of a file read whole, or of stdin read one at a time as the lexer asks. */
class Lines implements LineSource {
  lines: string[] = [];
  pos = 0;
  eof = false;
  next(): string | null {
    if (this.pos < this.lines.length) return this.lines[this.pos++]!;
    if (this.eof) return null;
    throw new NeedMore();
  }
  /** Forgets the lines the lexer is done with. */
  trim(): void {
    this.lines.splice(0, this.pos);
    this.pos = 0;
  }
}

class Vm {
  prog: Program;
  lexer: Lexer;
  bcp: BcParser | null = null;
  dcp: DcParser | null = null;
  ttyin = false;
  posixMode = 0;
  stdin = new Reader(0);
  stdinLines = new Lines();

  constructor(readonly applet: "bc" | "dc") {
    const isBc = applet === "bc";
    const self = this;
    this.prog = new Program(isBc, {
      *readLine() {
        yield* self.flush();
        const b = yield* self.stdin.getlineBytes();
        return b === null ? null : latin1(b);
      },
    });
    this.lexer = new Lexer(isBc, {
      get posixMode() {
        return self.posixMode;
      },
      warn: (msg: string) => this.message(msg),
    });
    this.prog.lexer = this.lexer;
    if (isBc) this.bcp = new BcParser(this.lexer, this.prog);
    else this.dcp = new DcParser(this.lexer, this.prog, this.prog.fns[0]!);
  }

  /** bc_verror_msg: "bc: [FILE:LINE: ]MSG" after what stdout holds. */
  message(msg: string): void {
    const where = this.lexer.filename ? `${this.lexer.filename}:${this.lexer.errLine}: ` : "";
    this.prog.emit(2, `${this.applet}: ${where}${msg}\n`);
  }

  *flush(): UserGen<void> {
    for (const o of this.prog.out) yield* write_all(o.fd, enc8(o.s));
    this.prog.out = [];
  }

  /** Reads one more line of stdin for the lexer. */
  private *more(): UserGen<void> {
    yield* this.flush();
    const b = yield* this.stdin.getlineBytes();
    if (b === null) {
      if (this.stdin.error) throw new BcError(`input error: ${strerror(this.stdin.error)}`);
      this.stdinLines.eof = true;
    } else this.stdinLines.lines.push(latin1(b));
  }

  /** Runs f, reading stdin lines and starting f again while the lexer wants more. */
  private *retrying(f: () => void): UserGen<void> {
    const lx = this.lexer;
    const main = this.prog.fns[0]!;
    const save = {
      mem: lx.mem,
      i: lx.i,
      line: lx.line,
      errLine: lx.errLine,
      lex: lx.lex,
      last: lx.last,
      str: lx.str,
      nextAt: lx.nextAt,
      src: lx.src,
      srcPos: lx.src instanceof Lines ? lx.src.pos : 0,
      input: lx.input,
      code: main.code.length,
      consts: main.consts.length,
      strs: main.strs.length,
      pstrs: this.prog.strs.length,
      pconsts: this.prog.consts.length,
      fns: this.prog.fns.length,
      out: this.prog.out.map((o) => ({ ...o })),
    };
    for (;;) {
      try {
        f();
        return;
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
      }
      Object.assign(lx, {
        mem: save.mem,
        i: save.i,
        line: save.line,
        errLine: save.errLine,
        lex: save.lex,
        last: save.last,
        str: save.str,
        nextAt: save.nextAt,
        src: save.src,
        input: save.input,
      });
      main.code.length = save.code;
      main.consts.length = save.consts;
      main.strs.length = save.strs;
      this.prog.strs.length = save.pstrs;
      this.prog.consts.length = save.pconsts;
      if (save.src instanceof Lines) save.src.pos = save.srcPos;
      if (!this.bcp) this.prog.fns.length = save.fns;
      this.prog.out = save.out.map((o) => ({ ...o }));
      if (this.bcp) {
        this.bcp.reset();
        this.bcp.inFuncdef = 0;
      }
      yield* this.more();
    }
  }

  /** zxc_vm_process: parse and run statement after statement; false on an error. */
  *process(text: string, src: LineSource | null): UserGen<boolean> {
    const lx = this.lexer;
    const prog = this.prog;
    const main = prog.fns[0]!;
    try {
      lx.setText(text);
      lx.src = src;
      lx.lex = lx.last = L.INVALID;
      yield* this.retrying(() => lx.next());
      while (lx.tok() !== L.EOF) {
        this.stdinLines.trim();
        if (this.bcp) {
          const bcp = this.bcp;
          yield* this.retrying(() => {
            bcp.stmtOrFuncdef();
            if (lx.tok() !== L.SCOLON && lx.tok() !== L.NLINE && lx.tok() !== L.EOF)
              throw lx.errorAt("bad statement terminator");
          });
        } else {
          const dcp = this.dcp!;
          yield* this.retrying(() => dcp.expr());
        }
        try {
          yield* prog.exec();
        } catch (e) {
          if (!(e instanceof BcError)) throw e;
          this.message(e.message);
          prog.reset();
          main.code = [];
          prog.exestack[0]!.idx = 0;
          yield* this.flush();
          if (!this.ttyin) throw new BcQuit("1");
          return false;
        }
        yield* this.flush();
        if (this.bcp) {
          main.strs = [];
          main.consts = [];
        }
        main.code = [];
        prog.exestack[0]!.idx = 0;
        if (this.bcp) yield* this.retrying(() => lx.next());
      }
      return true;
    } catch (e) {
      if (!(e instanceof BcError)) throw e;
      this.message(e.message);
      yield* this.flush();
      if (!this.ttyin) throw new BcQuit("1");
      // xc_parse_reset: the rest of the line is dropped
      lx.i = lx.mem.indexOf("\0", lx.i) < 0 ? lx.mem.length - 1 : lx.mem.indexOf("\0", lx.i);
      lx.lex = L.EOF;
      this.bcp?.reset();
      prog.reset();
      main.code = [];
      prog.exestack[0]!.idx = 0;
      return false;
    }
  }

  /** zxc_vm_execute_FILE */
  *file(src: LineSource, name: string | null): UserGen<boolean> {
    const lx = this.lexer;
    lx.filename = name;
    lx.line = lx.errLine = 1;
    let ok: boolean;
    do {
      ok = yield* this.process("", src);
    } while (src === this.stdinLines && !this.stdinLines.eof);
    lx.filename = null;
    return ok;
  }

  /** zxc_vm_file: a file read whole. */
  *vmFile(path: string): UserGen<boolean> {
    const fd = yield* open(path, O_RDONLY);
    if (fd < 0) {
      this.prog.emit(2, `${this.applet}: can't open '${path}': ${strerror(fd)}\n`);
      yield* this.flush();
      throw new BcQuit("1");
    }
    const r = new Reader(fd);
    const src = new Lines();
    for (let b = yield* r.getlineBytes(); b !== null; b = yield* r.getlineBytes()) src.lines.push(latin1(b));
    yield* close(fd);
    if (r.error) {
      this.prog.emit(2, `${this.applet}: input error: ${strerror(r.error)}\n`);
      yield* this.flush();
      throw new BcQuit("1");
    }
    src.eof = true;
    return yield* this.file(src, path);
  }
}

/** Text as bytes, one per character (bc works on bytes). */
function enc8(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** xc_vm_envLen: BC_LINE_LENGTH / DC_LINE_LENGTH minus one, 69 when unset or bad. */
function envLen(envp: string[], name: string): number {
  const s = getenv(envp, name);
  if (s === undefined) return 69;
  if (!/^\d+$/.test(s)) return 69;
  const len = Number(s) - 1;
  return len < 2 || len >= 2147483647 ? 69 : len;
}

/** Runs the machine to its end: the status, 0 after quit/halt. */
function* run(vm: Vm, body: () => UserGen<number>): UserGen<number> {
  try {
    return yield* body();
  } catch (e) {
    if (!(e instanceof BcQuit)) throw e;
    yield* vm.flush();
    return e.message === "1" ? 1 : 0;
  }
}

function* bc_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "wvsqli", BC_USAGE, [
    { name: "warn", arg: 0, val: "w" },
    { name: "version", arg: 0, val: "v" },
    { name: "standard", arg: 0, val: "s" },
    { name: "quiet", arg: 0, val: "q" },
    { name: "mathlib", arg: 0, val: "l" },
    { name: "interactive", arg: 0, val: "i" },
  ]);
  if (!o) return 1;
  const vm = new Vm("bc");
  vm.prog.len = envLen(envp, "BC_LINE_LENGTH");
  vm.ttyin = yield* isatty(0);
  if (o.has("s") || getenv(envp, "POSIXLY_CORRECT") !== undefined) vm.posixMode = 2;
  else if (o.has("w")) vm.posixMode = 1;
  const info =
    "bc 1.35.0\nAdapted from https://github.com/gavinhoward/bc\nOriginal code (c) 2018 Gavin D. Howard and contributors\n";
  if (o.has("v")) {
    yield* puts(1, info);
    return 0;
  }
  if (vm.ttyin && !o.has("q")) yield* puts(1, info);
  return yield* run(vm, function* () {
    if (o.has("l")) {
      const mode = vm.posixMode;
      vm.posixMode = 0;
      yield* vm.process(BC_LIB, null);
      vm.posixMode = mode;
    }
    let ok = true;
    for (const f of o.rest) ok = yield* vm.vmFile(f);
    ok = yield* vm.file(vm.stdinLines, null);
    yield* vm.flush();
    return ok ? 0 : 1;
  });
}

function* dc_main(argv: string[], envp: string[]): UserGen<number> {
  const o = yield* bb_getopt(argv, "e:f:x", DC_USAGE, null);
  if (!o) return 1;
  const vm = new Vm("dc");
  // BusyBox 1.35's dc lines are one character wider than bc's
  vm.prog.len = envLen(envp, "DC_LINE_LENGTH") + 1;
  vm.ttyin = yield* isatty(0);
  vm.lexer.exreg = vm.prog.exreg = o.has("x");
  return yield* run(vm, function* () {
    let noscript = true;
    for (const s of o.seen) {
      if (s.key === "e") {
        noscript = false;
        if (!(yield* vm.process(s.arg!, null))) return 1;
      } else if (s.key === "f") {
        noscript = false;
        if (!(yield* vm.vmFile(s.arg!))) return 1;
      }
    }
    let ok = true;
    for (const f of o.rest) {
      noscript = false;
      ok = yield* vm.vmFile(f);
    }
    if (noscript) ok = yield* vm.file(vm.stdinLines, null);
    yield* vm.flush();
    return ok ? 0 : 1;
  });
}

export const bc: Applet = { name: "bc", dir: "/usr/bin", usage: BC_USAGE, main: bc_main };
export const dc: Applet = { name: "dc", dir: "/usr/bin", usage: DC_USAGE, main: dc_main };
