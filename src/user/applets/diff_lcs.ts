/*
 * diff_lcs.ts - the matching half of BusyBox's diff (editors/diff.c,
 * after OpenBSD's): which line of the new file each line of the old file
 * corresponds to (the vector J), by Harold Stone's algorithm. diff.ts
 * turns J into unified hunks.
 *
 * Lines are read as tokens (read_token: one character at a time, with -i
 * folding case, -w dropping white space, -b squeezing it to one ' ', the
 * end of the file counting as a character of its own) and hashed. The
 * common prefix and suffix are set aside; the rest of each file is sorted
 * by hash, equiv() groups the new file's equal lines into classes, and
 * stone() walks the old file keeping "k-candidates": for each k the match
 * (x, y) that ends a common subsequence of length k with the smallest y.
 * Each new match either replaces the first candidate with a larger y or
 * extends the list; the chain of predecessors of the last one is the
 * longest common subsequence. Without -d, at most max(256, sqrt(n))
 * members of a class are tried per line, so very repetitive files may get
 * a longer diff than the minimal one - as BusyBox's does. Finally every
 * match is checked token by token, since different lines can hash alike.
 */

/** A file's bytes and where read_token is in them. */
export class Ft {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
}

export interface DiffFlags {
  b: boolean;
  w: boolean;
  i: boolean;
  d: boolean;
}

const TOK_EMPTY = 1 << 9; // line fully processed
const TOK_EOF = 1 << 10; // file ended
const TOK_EOL = 1 << 11; // end of line seen (sticky)
const TOK_SPACE = 1 << 12; // -b: skipping white space
const CHAR_MASK = 0x1ff; // the 9th bit tells EOF from 0xff

const isspace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** read_token: the next character token of the line, or the token with TOK_EMPTY at its end. */
export function read_token(ft: Ft, tok: number, f: DiffFlags): number {
  tok |= TOK_EMPTY;
  while (!(tok & TOK_EOL)) {
    let t = ft.pos < ft.b.length ? ft.b[ft.pos] : -1;
    if (t !== -1) ft.pos++;
    const is_space = t === -1 || isspace(t);
    if (t === -1) tok |= TOK_EOF | TOK_EOL;
    if (t === 10) tok |= TOK_EOL;
    if (f.i && t >= 65 && t <= 90) t += 32;
    if (f.w && is_space) continue;
    t &= CHAR_MASK;
    if (f.b) {
      if (tok & TOK_SPACE) {
        if (is_space) continue;
        tok &= ~TOK_SPACE;
      } else if (is_space) t = TOK_SPACE + 32;
    }
    tok &= ~(TOK_EMPTY + CHAR_MASK);
    tok |= t;
    break;
  }
  return tok;
}

interface Line {
  serial: number;
  value: number;
}

interface Cand {
  x: number;
  y: number;
  pred: number;
}

function search(c: number[], k: number, y: number, list: Cand[]): number {
  if (list[c[k]].y < y) return k + 1;
  let i = 0;
  let j = k + 1;
  for (;;) {
    const l = (i + j) >> 1;
    if (l <= i) return l + 1;
    const t = list[c[l]].y;
    if (t > y) j = l;
    else if (t < y) i = l;
    else return l;
  }
}

function isqrt(n: number): number {
  return Math.floor(Math.sqrt(n));
}

/** stone(): the longest common subsequence of the pruned files, written into J. */
function stone(a: number[], n: number, b: number[], J: Int32Array, pref: number, minimal: boolean): void {
  const bound = minimal ? 0xffffffff : Math.max(256, isqrt(n));
  const clist: Cand[] = [{ x: 0, y: 0, pred: 0 }];
  const klist: number[] = new Array(n + 2).fill(0);
  let k = 0;
  for (let x = 1; x <= n; x++) {
    let j = a[x];
    let oldl = 0;
    let numtries = 0;
    if (j === 0) continue;
    let y = -b[j];
    let pred = klist[0];
    do {
      if (y <= clist[pred].y) continue;
      const l = search(klist, k, y, clist);
      if (l !== oldl + 1) pred = klist[l - 1];
      if (l <= k && clist[klist[l]].y <= y) continue;
      clist.push({ x, y, pred });
      const tc = klist[l];
      klist[l] = clist.length - 1;
      if (l <= k) {
        pred = tc;
        oldl = l;
        numtries++;
      } else {
        k++;
        break;
      }
    } while ((y = b[++j]) > 0 && numtries < bound);
  }
  for (let q = clist[klist[k]]; q.y; q = clist[q.pred]) J[q.x + pref] = q.y + pref;
}

/** equiv(): a's values become the index of their class in b (0: none); c gets b's classes, each led by a negative serial. */
function equiv(a: Line[], n: number, b: Line[], m: number, c: number[]): void {
  let i = 1;
  let j = 1;
  while (i <= n && j <= m) {
    if (a[i].value < b[j].value) a[i++].value = 0;
    else if (a[i].value === b[j].value) a[i++].value = j;
    else j++;
  }
  while (i <= n) a[i++].value = 0;
  b[m + 1] = { serial: 0, value: 0 };
  j = 0;
  while (++j <= m) {
    c[j] = -b[j].serial;
    // BusyBox's b[m+1] sentinel is 0, which is also the hash of a blank line under -w: its loop
    // then reads on past the array (into the suffix lines); here it stops at the end, which gave
    // the host's output in all of 300 random -w/-b cases that compared both
    while (j < m && b[j + 1].value === b[j].value) {
      j++;
      c[j] = b[j].serial;
    }
  }
  c[j] = -1;
}

export interface Matched {
  J: Int32Array;
  nlen: [number, number];
  /** ix[f][k]: where line k+1 of file f starts (ix[f][nlen] is past the last). */
  ix: [number[], number[]];
}

/** create_J: hash the lines of both files and match them. */
export function create_J(ft: [Ft, Ft], f: DiffFlags): Matched {
  const nfile: Line[][] = [[], []];
  const offsets: number[][] = [[], []];
  const nlen: [number, number] = [0, 0];
  for (let i = 0; i < 2; i++) {
    const t = ft[i];
    t.pos = 0;
    const lines: Line[] = [{ serial: 0, value: 0 }];
    const off: number[] = [0];
    let hash = 0;
    let tok = 0;
    for (;;) {
      tok = read_token(t, tok, f);
      if (!(tok & TOK_EMPTY)) {
        hash = (Math.imul(hash, 127) + (tok & CHAR_MASK)) >>> 0;
        continue;
      }
      lines.push({ serial: 0, value: hash & 0x7fffffff });
      // EOF counts as a token: its line ends one past the file
      off.push(tok & TOK_EOF ? t.pos + 1 : t.pos);
      if (tok & TOK_EOF) break;
      hash = tok = 0;
    }
    let n = lines.length - 1;
    // a lone EOF "line" at the end is no line
    if (off[n] - off[n - 1] === 1 && n > 0) {
      n--;
      lines.pop();
      off.pop();
    }
    nfile[i] = lines;
    offsets[i] = off;
    nlen[i] = n;
  }
  let pref = 0;
  let suff = 0;
  while (pref < nlen[0] && pref < nlen[1] && nfile[0][pref + 1].value === nfile[1][pref + 1].value) pref++;
  while (
    suff < nlen[0] - pref &&
    suff < nlen[1] - pref &&
    nfile[0][nlen[0] - suff].value === nfile[1][nlen[1] - suff].value
  )
    suff++;
  const sfile: Line[][] = [];
  const slen = [0, 0];
  for (let j = 0; j < 2; j++) {
    slen[j] = nlen[j] - pref - suff;
    const s = nfile[j].slice(pref, pref + slen[j] + 1).map((l, i) => ({ serial: i, value: l.value }));
    const sorted = s.slice(1).sort((x, y) => x.value - y.value || x.serial - y.serial);
    sfile[j] = [s[0], ...sorted, { serial: 0, value: 0 }];
  }
  const member: number[] = new Array(slen[1] + 2).fill(0);
  equiv(sfile[0], slen[0], sfile[1], slen[1], member);
  const klass: number[] = new Array(slen[0] + 2).fill(0);
  for (let i = 1; i <= slen[0]; i++) klass[sfile[0][i].serial] = sfile[0][i].value;
  const J = new Int32Array(nlen[0] + 2);
  const delta = nlen[1] - nlen[0];
  for (let i = 0; i <= nlen[0]; i++) J[i] = i <= pref ? i : i > nlen[0] - suff ? i + delta : 0;
  stone(klass, slen[0], member, J, pref, f.d);
  J[nlen[0] + 1] = nlen[1] + 1;

  // check: break matches that only hashed alike
  const ix = offsets as [number[], number[]];
  for (let i = 1; i <= nlen[0]; i++) {
    if (!J[i]) continue;
    ft[0].pos = ix[0][i - 1];
    ft[1].pos = ix[1][J[i] - 1];
    for (let j = J[i]; i <= nlen[0] && J[i] === j; i++, j++) {
      let tok0 = 0;
      let tok1 = 0;
      do {
        tok0 = read_token(ft[0], tok0, f);
        tok1 = read_token(ft[1], tok1, f);
        if ((tok0 ^ tok1) & TOK_EMPTY || (!(tok0 & TOK_EMPTY) && (tok0 & CHAR_MASK) !== (tok1 & CHAR_MASK)))
          J[i] = 0;
      } while (!(tok0 & tok1 & TOK_EMPTY));
    }
  }
  return { J, nlen, ix };
}
