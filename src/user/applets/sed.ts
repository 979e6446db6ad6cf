/*
 * sed.ts - sed (editors/sed.c): the stream editor, a port of BusyBox's.
 *
 * add_cmd() turns each line of script into commands "[addr[,addr]][!]cmd":
 * an address is a line number, "$", /regex/ or \cregexc; the second may be
 * +N. Commands: s y a i c r w : b t T d D g G h H l n N p P q x = { } and #
 * comments ("#n" is -n). process_files() reads one line ahead (to know "$"),
 * runs every command on the pattern space, prints it unless -n, and emits
 * the text queued by a and r. A line ends at a "\n" or a NUL and is
 * printed with the same end; a last line without one is printed without
 * one, as GNU sed does.
 *
 * The quirks of Debian's BusyBox 1.35 are kept: "l" is accepted but prints
 * nothing, there is no "Q" and no "first~step" address, a "b" to a missing
 * label fails only when it runs. Escapes \n \t \r work in regexes and
 * replacements; & and \0..\9 in replacements; s flags g, N, p, i/I, w FILE.
 * Every -e comes before every -f. A "-" among the files runs the files up
 * to it as a stream of their own (line numbers and "$" start again after
 * it). -i[SUF] edits files in place (keeping FILE SUF), -r/-E use extended
 * regexes.
 *
 * Text is bytes, as in the C locale: the script, the lines and the hold
 * space are byte strings (stdio.ts's latin1), so "." is one byte and bytes
 * that are no UTF-8 go through unchanged.
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { close_stdin, open_stdin, read_bytes } from "../libc/file.js";
import { bb_error_msg, bb_getopt, bb_perror_msg, bb_show_usage } from "../libc/libbb.js";
import { type Regex, regexec } from "../libc/regex.js";
import { enc, latin1, latin1_bytes } from "../libc/stdio.js";
import { Reader, Writer } from "../libc/stream.js";
import { chmod, chown, close, rename, stat, unlink } from "../libc/sys.js";
import type { Applet } from "./registry.js";
import {
  add_cmd,
  Die,
  do_subst,
  type GetsChar,
  LAST_IS_NUL,
  NO_EOL_CHAR,
  type Out,
  open_w,
  path_of,
  type Sed,
} from "./sed_script.js";

const USAGE = `sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...
or: sed [-i[SFX]] [-nrE] CMD [FILE]...

\t-e CMD\tAdd CMD to sed commands to be executed
\t-f FILE\tAdd FILE contents to sed commands to be executed
\t-i[SFX]\tEdit files in-place (otherwise write to stdout)
\t\tOptionally back files up, appending SFX
\t-n\tSuppress automatic printing of pattern space
\t-r,-E\tUse extended regex syntax

If no -e or -f, the first non-option argument is the sed command string.
Remaining arguments are input files (stdin if none).`;

/** puts_maybe_newline: text, then the line's own end (see GetsChar). */
function* sed_puts(o: Out, s: string, lastGets: GetsChar): UserGen<void> {
  let lpc = o.last;
  // The previous file's last line had no end: put a "\n" between the two.
  if (lpc !== "\n" && lpc !== "\0") {
    yield* o.w.puts("\n");
    lpc = "\n";
  }
  yield* o.w.write(latin1_bytes(s));
  if (s) lpc = "x";
  if (lastGets === LAST_IS_NUL) {
    yield* o.w.puts("\0");
    lpc = "x";
  } else if (lastGets !== NO_EOL_CHAR) {
    yield* o.w.puts(lastGets);
    lpc = lastGets;
  }
  // A failed write (found when the buffer filled) ends sed, with GNU sed's status.
  if (o.w.error) throw new Die("write error", 4);
  o.last = lpc;
}

/** flush_append: the text of a, r and friends, each as a whole line. */
function* flush_append(sed: Sed): UserGen<void> {
  for (const a of sed.append.splice(0)) yield* sed_puts(sed.out, a, "\n");
}

/**
 * get_next_line: the next line of the files cur..last and how it ended, or
 * null when they are done. A line ends at a "\n" or a NUL
 * (bb_get_chunk_from_file); a file that cannot be opened is skipped with a
 * warning and makes the exit status 1.
 */
function* next_line(sed: Sed): UserGen<[string, GetsChar] | null> {
  yield* flush_append(sed);
  for (; sed.cur <= sed.last; sed.cur++) {
    if (!sed.fp) {
      const path = sed.files[sed.cur];
      const fd = yield* open_stdin(path);
      if (fd < 0) {
        yield* bb_perror_msg("sed", path, fd);
        sed.exitcode = 1;
        continue;
      }
      sed.fp = new Reader(fd);
    }
    const b = yield* sed.fp.getchunkBytes();
    if (b !== null) {
      const end = b[b.length - 1];
      if (end !== 10 && end !== 0) return [latin1(b), NO_EOL_CHAR];
      let gc: GetsChar = end === 10 ? "\n" : "\0";
      if (end === 0 && (yield* sed.fp.atEof())) gc = LAST_IS_NUL;
      return [latin1(b.subarray(0, b.length - 1)), gc];
    }
    yield* close_stdin(sed.fp.fd);
    sed.fp = null;
  }
  return null;
}

function matches(re: Regex, s: string): boolean {
  return regexec(re, s, 0) !== null;
}

/** beg_match: does the first address match? (It becomes the "previous regex".) */
function beg_match(sed: Sed, re: Regex, s: string): boolean {
  if (!matches(re, s)) return false;
  sed.previousRegex = re;
  return true;
}

/** The lines of a file read by "r", as xmalloc_fgetline gives them: a "\n" or a NUL ends each. */
function* read_lines(name: string): UserGen<string[]> {
  const b = yield* read_bytes(path_of(name));
  if (typeof b === "number" || b.length === 0) return [];
  const lines = latin1(b).split(/[\n\0]/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * process_files: runs the script over the files cur..last as one stream
 * (line numbers and "$" count within it); the hold space, ranges in
 * progress and the open file stay for the next call.
 */
function* process_files(sed: Sed): UserGen<void> {
  sed.out.last = "\n";
  let next = yield* next_line(sed);
  let linenum = 0;
  for (;;) {
    if (!next) return;
    let [ps, lastGets] = next;
    next = yield* next_line(sed);
    linenum++;
    let substituted = false;
    let print = true;
    restart: for (;;) {
      for (let ci = 0; ci < sed.cmds.length; ci++) {
        const c = sed.cmds[ci];
        const old = c.inMatch;
        c.inMatch =
          c.inMatch ||
          (!c.begLine && !c.endLine && !c.begMatch && !c.endMatch) ||
          (c.begLine > 0 && (c.endLine || c.endMatch ? c.begLine <= linenum : c.begLine === linenum)) ||
          (c.begMatch !== null && beg_match(sed, c.begMatch, ps)) ||
          (c.begLine === -1 && next === null);
        const matched = c.inMatch;
        if (matched) {
          if (c.endLine <= -2) c.endLine = linenum + (-c.endLine - 2);
          if (c.begLine > 0) c.begLine = -2;
          c.inMatch = !(
            (c.endLine ? (c.endLine === -1 ? next === null : c.endLine <= linenum) : !c.endMatch) ||
            (c.endMatch !== null && old && matches(c.endMatch, ps))
          );
          // A "+N" end counts from each start of the range: /x/,+1 is every x and the line after.
          if (!c.inMatch) c.endLine = c.endLineOrig;
        }
        if (c.cmd === "{") {
          if (c.invert ? matched : !matched) {
            let nest = 0;
            for (;;) {
              const k = sed.cmds[ci];
              if (!k) throw new Die("unterminated {");
              if (k.cmd === "{") nest++;
              if (k.cmd === "}" && --nest === 0) break;
              ci++;
            }
          }
          continue;
        }
        if (c.invert ? matched : !matched) continue;
        if (c.begMatch) sed.previousRegex = c.begMatch;
        switch (c.cmd) {
          case "=":
            yield* sed.out.w.puts(`${linenum}\n`);
            break;
          case "P": {
            const nl = ps.indexOf("\n");
            yield* sed_puts(sed.out, nl >= 0 ? ps.slice(0, nl) : ps, "\n");
            break;
          }
          case "p":
            yield* sed_puts(sed.out, ps, "\n");
            break;
          case "D": {
            const nl = ps.indexOf("\n");
            if (nl >= 0) {
              ps = ps.slice(nl + 1);
              continue restart;
            }
            print = false;
            break restart;
          }
          case "d":
            print = false;
            break restart;
          case "s": {
            const r = do_subst(sed, c, ps);
            if (r === null) break;
            ps = r;
            substituted = true;
            if (c.subP) yield* sed_puts(sed.out, ps, lastGets);
            if (c.swFile) yield* sed_puts(c.swFile, ps, lastGets);
            break;
          }
          case "a":
            sed.append.push(c.string!);
            break;
          case "i":
            yield* sed_puts(sed.out, c.string!, "\n");
            break;
          case "c":
            if (!c.inMatch) yield* sed_puts(sed.out, c.string!, "\n");
            print = false;
            break restart;
          case "r":
            sed.append.push(...(yield* read_lines(c.string!)));
            break;
          case "w":
            yield* sed_puts(c.swFile!, ps, lastGets);
            break;
          case "n":
            if (!sed.quiet) yield* sed_puts(sed.out, ps, lastGets);
            if (next === null) {
              print = false;
              break restart;
            }
            [ps, lastGets] = next;
            next = yield* next_line(sed);
            substituted = false;
            linenum++;
            break;
          case "q":
            next = null;
            break restart;
          case "N":
            if (next === null) break restart;
            ps = `${ps}\n${next[0]}`;
            lastGets = next[1];
            next = yield* next_line(sed);
            linenum++;
            break;
          case "t":
          case "T":
          case "b": {
            if (c.cmd === "t") {
              if (!substituted) break;
              substituted = false;
            } else if (c.cmd === "T" && substituted) break;
            if (!c.string) break restart;
            const to = sed.cmds.findIndex((k) => k.cmd === ":" && k.string === c.string);
            if (to < 0) throw new Die(`can't find label for jump to '${c.string}'`);
            ci = to;
            break;
          }
          case "y": {
            const map = c.string!;
            let r = "";
            for (const ch of ps) {
              let t = ch;
              for (let j = 0; j < map.length; j += 2)
                if (ch === map[j]) {
                  t = map[j + 1];
                  break;
                }
              r += t;
            }
            ps = r;
            break;
          }
          case "g":
            ps = sed.hold ?? "";
            break;
          case "G":
            ps = `${ps}\n${sed.hold ?? ""}`;
            lastGets = "\n";
            break;
          case "h":
            sed.hold = ps;
            break;
          case "H":
            sed.hold = `${sed.hold ?? ""}\n${ps}`;
            break;
          case "x": {
            const t = ps;
            ps = sed.hold ?? "";
            sed.hold = t;
            lastGets = "\n";
            break;
          }
        }
      }
      break;
    }
    if (print && !sed.quiet) yield* sed_puts(sed.out, ps, lastGets);
    yield* flush_append(sed);
  }
}

/** Reads script lines from FILE ("-": stdin) into add_cmd, as xmalloc_fgetline gives them. */
function* add_cmd_file(sed: Sed, path: string): UserGen<void> {
  const fd = yield* open_stdin(path);
  if (fd < 0) {
    yield* bb_perror_msg("sed", path, fd);
    throw new Die(null);
  }
  const r = new Reader(fd);
  for (let b = yield* r.getchunkBytes(); b !== null; b = yield* r.getchunkBytes()) {
    yield* add_cmd(sed, latin1(b).replace(/[\n\0]$/, ""));
  }
  yield* close_stdin(fd);
}

/** add_cmd_block: each line of a -e (or the script argument, as its bytes) is a line of script. */
function* add_cmd_block(sed: Sed, text: string): UserGen<void> {
  for (const l of latin1(enc(text)).split("\n")) yield* add_cmd(sed, l);
}

/** xrename: rename(2), or sed dies saying so. */
function* xrename(from: string, to: string): UserGen<void> {
  const r = yield* rename(from, to);
  if (r < 0) {
    yield* bb_perror_msg("sed", `can't move '${from}' to '${to}'`, r);
    throw new Die(null);
  }
}

/**
 * -i: each FILE is a stream of its own, written to FILEXXXXXX which then
 * replaces it (after FILE is renamed to FILE SFX with a suffix). As in
 * BusyBox, a "q" leaves the rest of its file open: the next FILE's output
 * starts with it, and after the last FILE it goes to stdout.
 */
function* edit_in_place(sed: Sed, f: string, suffix: string | undefined): UserGen<void> {
  const st = yield* stat(f);
  if (typeof st === "number") {
    yield* bb_perror_msg("sed", f, st);
    sed.exitcode = 1;
    sed.cur++;
    return;
  }
  const stdout = sed.out;
  sed.outname = `${f}.sedtmp`;
  sed.out = yield* open_w(latin1(enc(sed.outname)));
  // fchmod, then fchown - which drops set-user-ID, as with GNU sed.
  yield* chmod(sed.outname, st.st_mode & 0o7777);
  yield* chown(sed.outname, st.st_uid, st.st_gid);
  yield* process_files(sed);
  yield* sed.out.w.flush();
  yield* close(sed.out.w.fd);
  sed.out = stdout;
  if (suffix !== undefined) yield* xrename(f, f + suffix);
  yield* xrename(sed.outname, f);
  sed.outname = null;
  // Disabled "N,..." ranges and "+N" ends that became line numbers start afresh.
  for (const c of sed.cmds) {
    c.begLine = c.begLineOrig;
    c.endLine = c.endLineOrig;
  }
}

function* sed_main(argv: string[]): UserGen<number> {
  if (argv[1] === "--version") {
    yield* (yield* Writer.open(1)).puts("This is not GNU sed version 4.0\n");
    return 0;
  }
  const o = yield* bb_getopt(argv, "i::rEne:f:", USAGE, [
    { name: "in-place", arg: 2, val: "i" },
    { name: "regexp-extended", arg: 0, val: "r" },
    { name: "quiet", arg: 0, val: "n" },
    { name: "silent", arg: 0, val: "n" },
    { name: "expression", arg: 1, val: "e" },
    { name: "file", arg: 1, val: "f" },
  ]);
  if (!o) return 1;
  const sed: Sed = {
    cmds: [],
    quiet: o.count("n"),
    extended: o.has("r") || o.has("E"),
    previousRegex: null,
    addCmdLine: null,
    hold: null,
    append: [],
    exitcode: 0,
    files: [],
    cur: 0,
    last: 0,
    fp: null,
    out: { w: yield* Writer.open(1), last: "\n" },
    outname: null,
  };
  const stdout = sed.out.w;
  const files = [...o.rest];
  const inPlace = o.has("i");
  try {
    // Every -e first, then every -f, as BusyBox takes them from its two lists.
    for (const s of o.seen) if (s.key === "e") yield* add_cmd_block(sed, s.arg!);
    for (const s of o.seen) if (s.key === "f") yield* add_cmd_file(sed, s.arg!);
    if (!o.has("e") && !o.has("f")) {
      if (files.length === 0) return yield* bb_show_usage(USAGE);
      yield* add_cmd_block(sed, files.shift()!);
    }
    // Flush any unfinished command.
    yield* add_cmd(sed, "");
    sed.files = files.length ? files : ["-"];
    if (files.length === 0 && inPlace) throw new Die("-i requires an argument");
    // A "-" runs the files so far (itself included) as one stream.
    for (let k = 0; k < files.length; k++) {
      sed.last = k;
      if (inPlace) yield* edit_in_place(sed, files[k], o.arg("i"));
      else if (files[k] === "-") yield* process_files(sed);
    }
    yield* process_files(sed);
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    if (e.msg !== null) yield* bb_error_msg("sed", path_of(e.msg));
    if (sed.outname !== null) yield* unlink(sed.outname);
    sed.exitcode = e.status;
  }
  // exit(): stdio flushes the newest FILE first - the "w" files, then stdout.
  for (const c of [...sed.cmds].reverse()) if (c.swFile) yield* c.swFile.w.flush();
  yield* stdout.flush();
  return sed.exitcode;
}

export const sed: Applet = { name: "sed", dir: "/bin", usage: USAGE, main: sed_main };
