/*
 * complete.ts - tab completion for the console's host-side line editor
 * (lineedit.ts), after BusyBox lineedit's input_tab():
 *
 *   the word before the cursor     what it completes from
 *   ---------------------------    ------------------------------------------
 *   first word of a command,       executables in the $PATH directories and
 *     no "/" in it                 ash's builtins
 *   anything else                  names in the directory the word names
 *                                  (relative to the shell's cwd)
 *
 * One match is inserted whole, followed by " " (or "/" for a directory);
 * several matches insert their common prefix, and when that adds nothing
 * the caller lists them. The names come from Machine.peekDir, which reads
 * the simulated filesystem without changing it. Simplified compared to
 * BusyBox: no quoting or escaping of special characters, no ~user.
 */

import type { PeekEntry } from "../machine.js";

/** Read-only access to the machine's filesystem. */
export interface CompletionSource {
  /** Entries of a directory (absolute, or relative to the shell's cwd); null if none. */
  peekDir(path: string): PeekEntry[] | null;
}

/** BusyBox init's default PATH (what the console shell starts with). */
export const DEFAULT_PATH = "/sbin:/usr/sbin:/bin:/usr/bin";

/** ash's builtins that are not also applets in /bin (ash.c builtintab). */
export const ASH_BUILTINS = [
  ".",
  ":",
  "alias",
  "bg",
  "break",
  "cd",
  "chdir",
  "command",
  "continue",
  "eval",
  "exec",
  "exit",
  "export",
  "fg",
  "getopts",
  "hash",
  "help",
  "history",
  "jobs",
  "local",
  "read",
  "readonly",
  "return",
  "set",
  "shift",
  "source",
  "times",
  "trap",
  "type",
  "ulimit",
  "umask",
  "unalias",
  "unset",
  "wait",
];

export interface Completion {
  /** Text to insert at the cursor ("" when there is nothing to add). */
  insert: string;
  /** All matches, sorted (directories with a trailing "/"); more than one means ambiguous. */
  matches: string[];
}

/** Characters that end a word for completion (as in lineedit's find_match). */
const BREAK = /[\s|;&<>()`'"]/;

/** Completes the word that ends at `cursor` in `line`. */
export function complete(
  line: string,
  cursor: number,
  src: CompletionSource,
  path = DEFAULT_PATH,
): Completion {
  let start = cursor;
  while (start > 0 && !BREAK.test(line[start - 1])) start--;
  const word = line.slice(start, cursor);
  const before = line.slice(0, start).trimEnd();
  const commandPosition = before === "" || /[|;&(`]$/.test(before);

  let names: { name: string; dir: boolean }[];
  let prefix: string;
  if (commandPosition && !word.includes("/")) {
    prefix = word;
    names = commandNames(src, path).map((name) => ({ name, dir: false }));
  } else {
    const slash = word.lastIndexOf("/");
    const dir = slash < 0 ? "." : word.slice(0, slash + 1);
    prefix = word.slice(slash + 1);
    names = (src.peekDir(dir) ?? []).filter((e) => e.name !== "." && e.name !== "..");
  }
  const hidden = !prefix.startsWith(".");
  const found = names.filter((e) => e.name.startsWith(prefix) && !(hidden && e.name.startsWith(".")));
  const matches = [...new Set(found.map((e) => (e.dir ? `${e.name}/` : e.name)))].sort();
  if (matches.length === 0) return { insert: "", matches };
  if (matches.length === 1) {
    const m = matches[0];
    return { insert: m.slice(prefix.length) + (m.endsWith("/") ? "" : " "), matches };
  }
  return { insert: commonPrefix(matches).slice(prefix.length), matches };
}

/** Executables in the PATH directories, and the builtins. */
function commandNames(src: CompletionSource, path: string): string[] {
  const out = new Set(ASH_BUILTINS);
  for (const dir of path.split(":"))
    for (const e of src.peekDir(dir || ".") ?? []) if (e.exec) out.add(e.name);
  return [...out];
}

function commonPrefix(words: string[]): string {
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Matches laid out in columns for a screen `cols` wide, as lineedit's showfiles() does. */
export function columns(matches: string[], cols: number): string[] {
  const width = Math.max(...matches.map((m) => m.length)) + 2;
  const perRow = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(matches.length / perRow);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let s = "";
    for (let c = 0; c < perRow; c++) {
      const m = matches[c * rows + r];
      if (m === undefined) continue;
      s += c === perRow - 1 || matches[(c + 1) * rows + r] === undefined ? m : m.padEnd(width);
    }
    out.push(s);
  }
  return out;
}
