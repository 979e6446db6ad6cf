/*
 * ascii.ts - ascii (miscutils/ascii.c): the ASCII table, 16 rows of 8
 * columns "Dec Hex Char", control characters by name. Arguments are
 * ignored; there is no help text ("No help available").
 */

import type { UserGen } from "../../kernel/uapi/syscalls.js";
import { Writer } from "../libc/stream.js";
import type { Applet } from "./registry.js";

const NAMES =
  "NUL SOH STX ETX EOT ENQ ACK BEL BS HT NL VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split(
    " ",
  );

/** Each column's decimal width: 0-15 and 96-127 take three digits, the others two. */
const DEC_WIDTH = [3, 2, 2, 2, 2, 2, 3, 3];

function* ascii_main(): UserGen<number> {
  const out = yield* Writer.open(1);
  let text = "Dec Hex    Dec Hex    Dec Hex  Dec Hex  Dec Hex  Dec Hex   Dec Hex   Dec Hex\n";
  for (let row = 0; row < 16; row++) {
    const cols: string[] = [];
    for (let k = 0; k < 8; k++) {
      const c = row + 16 * k;
      const name = c < 32 ? NAMES[c].padEnd(3) : c === 127 ? "DEL" : String.fromCharCode(c);
      cols.push(`${String(c).padStart(DEC_WIDTH[k])} ${c.toString(16).padStart(2, "0")} ${name}`);
    }
    text += `${cols.join("  ")}\n`;
  }
  yield* out.puts(text);
  yield* out.flush();
  return 0;
}

export const ascii: Applet = { name: "ascii", dir: "/usr/bin", usage: "", main: ascii_main };
