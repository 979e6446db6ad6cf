/*
 * deflate.ts - gzip's compressor as BusyBox 1.35 has it (archival/gzip.c:
 * GNU gzip 1.2.4's deflate.c, trees.c and bits.c), so that a file
 * compressed here has the very bytes Debian's busybox gzip writes: users
 * pipe it into wc -c.
 *
 * Debian's build (GZIP_FAST=2, no FEATURE_GZIP_LEVELS) searches as GNU
 * gzip -6 does whatever level is asked (chains of 128, lazy matching below
 * 16, nice length 128), with 2^15 hash heads and blocks of up to 32K
 * literals; its bytes are GNU "gzip -6 -n"'s but for the header's XFL (0)
 * and no time stamp or name.
 *
 * The pieces, in the order data flows:
 *
 *   window[64K]  input slides through its upper half (fill_window)
 *   deflate()    lazy LZ77: head[hash of 3 bytes] -> chain in prev[]
 *                (longest_match), a match is kept only if the next
 *                position's is not longer
 *   ct_tally()   literals/lengths in l_buf, distances in d_buf, a flag
 *                bit each; decides when a block is worth ending
 *   flush_block  builds Huffman trees (build_tree, gen_bitlen, gen_codes)
 *                and sends the cheapest of stored, static or dynamic
 *   send_bits    LSB-first bit packing into 32 bits, bytes to outbuf
 *
 * The window, like BusyBox's, is allocated once and reused by every file
 * of one gzip run (bytes past the end of input are what an earlier file
 * left there, and matches may look at them).
 */

import { crc32_block_endian0 } from "./crc32.js";

const WSIZE = 0x8000;
const WMASK = WSIZE - 1;
const WINDOW_SIZE = 2 * WSIZE;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST = WSIZE - MIN_LOOKAHEAD;
const HASH_BITS = 15;
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const H_SHIFT = Math.floor((HASH_BITS + MIN_MATCH - 1) / MIN_MATCH);
const TOO_FAR = 4096;
const LIT_BUFSIZE = 0x8000;
const DIST_BUFSIZE = 0x8000;
const OUTBUFSIZ = 16384;

/* what Debian's 1.35 does whatever the level asked: gzip -6's search */
const max_chain_length = 128;
const max_lazy_match = 16;
const good_match = 8;
const nice_match = 128;

const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const LENGTH_CODES = 29;
const LITERALS = 256;
const END_BLOCK = 256;
const L_CODES = LITERALS + 1 + LENGTH_CODES;
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const STORED_BLOCK = 0;
const STATIC_TREES = 1;
const DYN_TREES = 2;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

const extra_lbits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const extra_dbits = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const extra_blbits = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const bl_order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** ct_data: freq doubles as code, dad as len (the C unions). */
class Tree {
  fc: Uint16Array;
  dl: Uint16Array;
  constructor(n: number) {
    this.fc = new Uint16Array(n);
    this.dl = new Uint16Array(n);
  }
}

interface TreeDesc {
  dyn: Tree;
  stat: Tree | null;
  extra: number[] | null;
  extraBase: number;
  elems: number;
  maxLength: number;
  maxCode: number;
}

function bi_reverse(code: number, len: number): number {
  let res = 0;
  for (;;) {
    res |= code & 1;
    if (--len <= 0) return res;
    code >>>= 1;
    res <<= 1;
  }
}

/** The compressor; one per gzip run, reused for each file. */
export class Deflater {
  private window = new Uint8Array(WINDOW_SIZE);
  private prev = new Uint16Array(WSIZE + HASH_SIZE);
  private l_buf = new Uint8Array(LIT_BUFSIZE);
  private d_buf = new Uint16Array(DIST_BUFSIZE);
  // per file
  private input: Uint8Array = new Uint8Array(0);
  private inpos = 0;
  private out: Uint8Array[] = [];
  private outbuf = new Uint8Array(OUTBUFSIZ);
  private outcnt = 0;
  private crc = 0;
  private isize = 0;
  private block_start = 0;
  private ins_h = 0;
  private prev_length = 0;
  private strstart = 0;
  private match_start = 0;
  private lookahead = 0;
  private eofile = false;
  private bi_buf = 0;
  private bi_valid = 0;
  // trees
  private heap = new Int32Array(HEAP_SIZE);
  private heap_len = 0;
  private heap_max = 0;
  private dyn_ltree = new Tree(HEAP_SIZE);
  private dyn_dtree = new Tree(2 * D_CODES + 1);
  private static_ltree = new Tree(L_CODES + 2);
  private static_dtree = new Tree(D_CODES);
  private bl_tree = new Tree(2 * BL_CODES + 1);
  private l_desc!: TreeDesc;
  private d_desc!: TreeDesc;
  private bl_desc!: TreeDesc;
  private bl_count = new Uint16Array(MAX_BITS + 1);
  private depth = new Uint8Array(2 * L_CODES + 1);
  private length_code = new Uint8Array(MAX_MATCH - MIN_MATCH + 1);
  private dist_code = new Uint8Array(512);
  private base_length = new Int32Array(LENGTH_CODES);
  private base_dist = new Int32Array(D_CODES);
  private flag_buf = new Uint8Array(LIT_BUFSIZE / 8);
  private last_lit = 0;
  private last_dist = 0;
  private last_flags = 0;
  private flags = 0;
  private flag_bit = 0;
  private opt_len = 0;
  private static_len = 0;

  /** pack_gzip: the whole .gz file for data. */
  gzip(data: Uint8Array): Uint8Array {
    this.reset(data);
    this.put_32bit(0x00088b1f);
    this.put_32bit(0); // no time stamp
    this.crc = ~0 >>> 0;
    this.ct_init();
    this.lm_init();
    this.put_16bit(0x300); // extra flags 0, OS 3 (Unix)
    this.deflate();
    this.put_32bit(~this.crc >>> 0);
    this.put_32bit(this.isize >>> 0);
    this.flush_outbuf();
    let n = 0;
    for (const c of this.out) n += c.length;
    const all = new Uint8Array(n);
    let o = 0;
    for (const c of this.out) {
      all.set(c, o);
      o += c.length;
    }
    return all;
  }

  private reset(data: Uint8Array): void {
    this.input = data;
    this.inpos = 0;
    this.out = [];
    this.outcnt = 0;
    this.crc = 0;
    this.isize = 0;
    this.block_start = 0;
    this.ins_h = 0;
    this.prev_length = 0;
    this.strstart = 0;
    this.match_start = 0;
    this.lookahead = 0;
    this.eofile = false;
    this.bi_buf = 0;
    this.bi_valid = 0;
    this.heap.fill(0);
    this.heap_len = this.heap_max = 0;
    for (const t of [this.dyn_ltree, this.dyn_dtree, this.static_ltree, this.static_dtree, this.bl_tree]) {
      t.fc.fill(0);
      t.dl.fill(0);
    }
    this.bl_count.fill(0);
    this.depth.fill(0);
    this.flag_buf.fill(0);
    this.l_desc = {
      dyn: this.dyn_ltree,
      stat: this.static_ltree,
      extra: extra_lbits,
      extraBase: LITERALS + 1,
      elems: L_CODES,
      maxLength: MAX_BITS,
      maxCode: 0,
    };
    this.d_desc = {
      dyn: this.dyn_dtree,
      stat: this.static_dtree,
      extra: extra_dbits,
      extraBase: 0,
      elems: D_CODES,
      maxLength: MAX_BITS,
      maxCode: 0,
    };
    this.bl_desc = {
      dyn: this.bl_tree,
      stat: null,
      extra: extra_blbits,
      extraBase: 0,
      elems: BL_CODES,
      maxLength: MAX_BL_BITS,
      maxCode: 0,
    };
  }

  /* ---- output (bits.c) ---- */

  private flush_outbuf(): void {
    if (this.outcnt === 0) return;
    this.out.push(this.outbuf.slice(0, this.outcnt));
    this.outcnt = 0;
  }

  private put_8bit(c: number): void {
    this.outbuf[this.outcnt++] = c;
    if (this.outcnt === OUTBUFSIZ) this.flush_outbuf();
  }

  private put_16bit(w: number): void {
    this.put_8bit(w & 0xff);
    this.put_8bit((w >>> 8) & 0xff);
  }

  private put_32bit(n: number): void {
    this.put_16bit(n & 0xffff);
    this.put_16bit((n >>> 16) & 0xffff);
  }

  /** file_read: the next bytes of input into the window, counted and CRC'd. */
  private file_read(at: number, size: number): number {
    const n = Math.min(size, this.input.length - this.inpos);
    if (n <= 0) return 0;
    const chunk = this.input.subarray(this.inpos, this.inpos + n);
    this.window.set(chunk, at);
    this.inpos += n;
    this.crc = crc32_block_endian0(this.crc, chunk);
    this.isize += n;
    return n;
  }

  private send_bits(value: number, length: number): void {
    let new_buf = (this.bi_buf | (value << this.bi_valid)) >>> 0;
    length += this.bi_valid;
    if (length >= 32) {
      value = value >>> (32 - this.bi_valid);
      this.put_32bit(new_buf);
      new_buf = value;
      length -= 32;
    }
    this.bi_buf = new_buf;
    this.bi_valid = length;
  }

  private bi_windup(): void {
    let bits = this.bi_buf;
    let cnt = this.bi_valid;
    while (cnt > 0) {
      this.put_8bit(bits & 0xff);
      bits >>>= 8;
      cnt -= 8;
    }
    this.bi_buf = 0;
    this.bi_valid = 0;
  }

  private copy_block(at: number, len: number): void {
    this.bi_windup();
    this.put_32bit(((len & 0xffff) | ((~len & 0xffff) << 16)) >>> 0);
    for (let i = 0; i < len; i++) this.put_8bit(this.window[at + i]!);
  }

  /* ---- the sliding window (deflate.c) ---- */

  private fill_window(): void {
    let more = WINDOW_SIZE - this.lookahead - this.strstart;
    if (this.strstart >= WSIZE + MAX_DIST) {
      this.window.copyWithin(0, WSIZE, 2 * WSIZE);
      this.match_start -= WSIZE;
      this.strstart -= WSIZE;
      this.block_start -= WSIZE;
      const prev = this.prev;
      for (let n = 0; n < HASH_SIZE; n++) {
        const m = prev[WSIZE + n]!;
        prev[WSIZE + n] = m >= WSIZE ? m - WSIZE : 0;
      }
      for (let n = 0; n < WSIZE; n++) {
        const m = prev[n]!;
        prev[n] = m >= WSIZE ? m - WSIZE : 0;
      }
      more += WSIZE;
    }
    if (!this.eofile) {
      const n = this.file_read(this.strstart + this.lookahead, more);
      if (n === 0) this.eofile = true;
      else this.lookahead += n;
    }
  }

  private fill_window_if_needed(): void {
    while (this.lookahead < MIN_LOOKAHEAD && !this.eofile) this.fill_window();
  }

  /** longest_match: the longest match on the hash chain from cur_match. */
  private longest_match(cur_match: number): number {
    const w = this.window;
    let chain_length = max_chain_length;
    const scan0 = this.strstart;
    let best_len = this.prev_length;
    const limit = this.strstart > MAX_DIST ? this.strstart - MAX_DIST : 0;
    const strend = this.strstart + MAX_MATCH;
    let scan_end1 = w[scan0 + best_len - 1]!;
    let scan_end = w[scan0 + best_len]!;
    if (this.prev_length >= good_match) chain_length >>>= 2;
    do {
      let match = cur_match;
      if (
        w[match + best_len] !== scan_end ||
        w[match + best_len - 1] !== scan_end1 ||
        w[match] !== w[scan0] ||
        w[++match] !== w[scan0 + 1]
      )
        continue;
      let scan = scan0 + 2;
      match++;
      while (
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        w[++scan] === w[++match] &&
        scan < strend
      ) {
        /* compare on */
      }
      const len = MAX_MATCH - (strend - scan);
      if (len > best_len) {
        this.match_start = cur_match;
        best_len = len;
        if (len >= nice_match) break;
        scan_end1 = w[scan0 + best_len - 1]!;
        scan_end = w[scan0 + best_len]!;
      }
    } while ((cur_match = this.prev[cur_match & WMASK]!) > limit && --chain_length !== 0);
    return best_len;
  }

  private insert_string(s: number): number {
    this.ins_h = ((this.ins_h << H_SHIFT) ^ this.window[s + MIN_MATCH - 1]!) & HASH_MASK;
    const head = this.prev[WSIZE + this.ins_h]!;
    this.prev[s & WMASK] = head;
    this.prev[WSIZE + this.ins_h] = s;
    return head;
  }

  private flush(eof: number): void {
    this.flush_block(this.block_start >= 0 ? this.block_start : -1, this.strstart - this.block_start, eof);
  }

  /** deflate(): LZ77 with lazy evaluation of matches. */
  private deflate(): void {
    let prev_match: number;
    let match_available = false;
    let match_length = MIN_MATCH - 1;
    while (this.lookahead !== 0) {
      const hash_head = this.insert_string(this.strstart);
      this.prev_length = match_length;
      prev_match = this.match_start;
      match_length = MIN_MATCH - 1;
      if (hash_head !== 0 && this.prev_length < max_lazy_match && this.strstart - hash_head <= MAX_DIST) {
        match_length = this.longest_match(hash_head);
        if (match_length > this.lookahead) match_length = this.lookahead;
        if (match_length === MIN_MATCH && this.strstart - this.match_start > TOO_FAR) match_length--;
      }
      if (this.prev_length >= MIN_MATCH && match_length <= this.prev_length) {
        const flush = this.ct_tally(this.strstart - 1 - prev_match, this.prev_length - MIN_MATCH);
        this.lookahead -= this.prev_length - 1;
        this.prev_length -= 2;
        do {
          this.strstart++;
          this.insert_string(this.strstart);
        } while (--this.prev_length !== 0);
        match_available = false;
        match_length = MIN_MATCH - 1;
        this.strstart++;
        if (flush) {
          this.flush(0);
          this.block_start = this.strstart;
        }
      } else if (match_available) {
        if (this.ct_tally(0, this.window[this.strstart - 1]!)) {
          this.flush(0);
          this.block_start = this.strstart;
        }
        this.strstart++;
        this.lookahead--;
      } else {
        match_available = true;
        this.strstart++;
        this.lookahead--;
      }
      this.fill_window_if_needed();
    }
    if (match_available) this.ct_tally(0, this.window[this.strstart - 1]!);
    this.flush(1);
  }

  private lm_init(): void {
    this.prev.fill(0, WSIZE, WSIZE + HASH_SIZE);
    this.lookahead = this.file_read(0, WINDOW_SIZE);
    if (this.lookahead === 0) {
      this.eofile = true;
      this.lookahead = 0;
      return;
    }
    this.fill_window_if_needed();
    for (let j = 0; j < MIN_MATCH - 1; j++)
      this.ins_h = ((this.ins_h << H_SHIFT) ^ this.window[j]!) & HASH_MASK;
  }

  /* ---- Huffman trees (trees.c) ---- */

  private init_block(): void {
    this.dyn_ltree.fc.fill(0, 0, L_CODES);
    this.dyn_dtree.fc.fill(0, 0, D_CODES);
    this.bl_tree.fc.fill(0, 0, BL_CODES);
    this.dyn_ltree.fc[END_BLOCK] = 1;
    this.opt_len = this.static_len = 0;
    this.last_lit = this.last_dist = this.last_flags = 0;
    this.flags = 0;
    this.flag_bit = 1;
  }

  private ct_init(): void {
    let length = 0;
    let code: number;
    for (code = 0; code < LENGTH_CODES - 1; code++) {
      this.base_length[code] = length;
      for (let n = 0; n < 1 << extra_lbits[code]!; n++) this.length_code[length++] = code;
    }
    this.length_code[length - 1] = code;
    let dist = 0;
    for (code = 0; code < 16; code++) {
      this.base_dist[code] = dist;
      for (let n = 0; n < 1 << extra_dbits[code]!; n++) this.dist_code[dist++] = code;
    }
    dist >>= 7;
    for (; code < D_CODES; code++) {
      this.base_dist[code] = dist << 7;
      for (let n = 0; n < 1 << (extra_dbits[code]! - 7); n++) this.dist_code[256 + dist++] = code;
    }
    const sl = this.static_ltree.dl;
    let n = 0;
    while (n <= 143) sl[n++] = 8;
    while (n <= 255) sl[n++] = 9;
    while (n <= 279) sl[n++] = 7;
    while (n <= 287) sl[n++] = 8;
    this.bl_count[7] = 279 - 255;
    this.bl_count[8] = 143 + 1 + (287 - 279);
    this.bl_count[9] = 255 - 143;
    this.gen_codes(this.static_ltree, L_CODES + 1);
    for (n = 0; n < D_CODES; n++) {
      this.static_dtree.dl[n] = 5;
      this.static_dtree.fc[n] = bi_reverse(n, 5);
    }
    this.init_block();
  }

  private smaller(tree: Tree, n: number, m: number): boolean {
    const fn = tree.fc[n]!;
    const fm = tree.fc[m]!;
    return fn < fm || (fn === fm && this.depth[n]! <= this.depth[m]!);
  }

  private pqdownheap(tree: Tree, k: number): void {
    const heap = this.heap;
    const v = heap[k]!;
    let j = k << 1;
    while (j <= this.heap_len) {
      if (j < this.heap_len && this.smaller(tree, heap[j + 1]!, heap[j]!)) j++;
      if (this.smaller(tree, v, heap[j]!)) break;
      heap[k] = heap[j]!;
      k = j;
      j <<= 1;
    }
    heap[k] = v;
  }

  private gen_bitlen(desc: TreeDesc): void {
    const tree = desc.dyn;
    const { extra, extraBase: base, maxCode: max_code, maxLength: max_length, stat: stree } = desc;
    const heap = this.heap;
    let overflow = 0;
    this.bl_count.fill(0);
    tree.dl[heap[this.heap_max]!] = 0;
    let h: number;
    for (h = this.heap_max + 1; h < HEAP_SIZE; h++) {
      const n = heap[h]!;
      let bits = tree.dl[tree.dl[n]!]! + 1;
      if (bits > max_length) {
        bits = max_length;
        overflow++;
      }
      tree.dl[n] = bits;
      if (n > max_code) continue;
      this.bl_count[bits]!++;
      let xbits = 0;
      if (n >= base && extra) xbits = extra[n - base]!;
      const f = tree.fc[n]!;
      this.opt_len += f * (bits + xbits);
      if (stree) this.static_len += f * (stree.dl[n]! + xbits);
    }
    if (overflow === 0) return;
    do {
      let bits = max_length - 1;
      while (this.bl_count[bits] === 0) bits--;
      this.bl_count[bits]!--;
      this.bl_count[bits + 1]! += 2;
      this.bl_count[max_length]!--;
      overflow -= 2;
    } while (overflow > 0);
    for (let bits = max_length; bits !== 0; bits--) {
      let n = this.bl_count[bits]!;
      while (n !== 0) {
        const m = heap[--h]!;
        if (m > max_code) continue;
        if (tree.dl[m] !== bits) {
          this.opt_len += (bits - tree.dl[m]!) * tree.fc[m]!;
          tree.dl[m] = bits;
        }
        n--;
      }
    }
  }

  private gen_codes(tree: Tree, max_code: number): void {
    const next_code = new Uint16Array(MAX_BITS + 1);
    let code = 0;
    for (let bits = 1; bits <= MAX_BITS; bits++) {
      code = ((code + this.bl_count[bits - 1]!) << 1) & 0xffff;
      next_code[bits] = code;
    }
    for (let n = 0; n <= max_code; n++) {
      const len = tree.dl[n]!;
      if (len === 0) continue;
      tree.fc[n] = bi_reverse(next_code[len]!++, len);
    }
  }

  private build_tree(desc: TreeDesc): void {
    const tree = desc.dyn;
    const stree = desc.stat;
    const elems = desc.elems;
    const heap = this.heap;
    let max_code = -1;
    let node = elems;
    this.heap_len = 0;
    this.heap_max = HEAP_SIZE;
    for (let n = 0; n < elems; n++) {
      if (tree.fc[n] !== 0) {
        heap[++this.heap_len] = max_code = n;
        this.depth[n] = 0;
      } else tree.dl[n] = 0;
    }
    while (this.heap_len < 2) {
      const nw = (heap[++this.heap_len] = max_code < 2 ? ++max_code : 0);
      tree.fc[nw] = 1;
      this.depth[nw] = 0;
      this.opt_len--;
      if (stree) this.static_len -= stree.dl[nw]!;
    }
    desc.maxCode = max_code;
    for (let n = this.heap_len >> 1; n >= 1; n--) this.pqdownheap(tree, n);
    do {
      const n = heap[1]!;
      heap[1] = heap[this.heap_len--]!;
      this.pqdownheap(tree, 1);
      const m = heap[1]!;
      heap[--this.heap_max] = n;
      heap[--this.heap_max] = m;
      tree.fc[node] = tree.fc[n]! + tree.fc[m]!;
      this.depth[node] = Math.max(this.depth[n]!, this.depth[m]!) + 1;
      tree.dl[n] = tree.dl[m] = node;
      heap[1] = node++;
      this.pqdownheap(tree, 1);
    } while (this.heap_len >= 2);
    heap[--this.heap_max] = heap[1]!;
    this.gen_bitlen(desc);
    this.gen_codes(tree, max_code);
  }

  private scan_tree(tree: Tree, max_code: number): void {
    let prevlen = -1;
    let nextlen = tree.dl[0]!;
    let count = 0;
    let max_count = 7;
    let min_count = 4;
    const bl = this.bl_tree.fc;
    if (nextlen === 0) {
      max_count = 138;
      min_count = 3;
    }
    tree.dl[max_code + 1] = 0xffff;
    for (let n = 0; n <= max_code; n++) {
      const curlen = nextlen;
      nextlen = tree.dl[n + 1]!;
      if (++count < max_count && curlen === nextlen) continue;
      if (count < min_count) bl[curlen]! += count;
      else if (curlen !== 0) {
        if (curlen !== prevlen) bl[curlen]!++;
        bl[REP_3_6]!++;
      } else if (count <= 10) bl[REPZ_3_10]!++;
      else bl[REPZ_11_138]!++;
      count = 0;
      prevlen = curlen;
      max_count = 7;
      min_count = 4;
      if (nextlen === 0) {
        max_count = 138;
        min_count = 3;
      } else if (curlen === nextlen) {
        max_count = 6;
        min_count = 3;
      }
    }
  }

  private send_code(c: number, tree: Tree): void {
    this.send_bits(tree.fc[c]!, tree.dl[c]!);
  }

  private send_tree(tree: Tree, max_code: number): void {
    let prevlen = -1;
    let nextlen = tree.dl[0]!;
    let count = 0;
    let max_count = 7;
    let min_count = 4;
    if (nextlen === 0) {
      max_count = 138;
      min_count = 3;
    }
    for (let n = 0; n <= max_code; n++) {
      const curlen = nextlen;
      nextlen = tree.dl[n + 1]!;
      if (++count < max_count && curlen === nextlen) continue;
      if (count < min_count) {
        do this.send_code(curlen, this.bl_tree);
        while (--count);
      } else if (curlen !== 0) {
        if (curlen !== prevlen) {
          this.send_code(curlen, this.bl_tree);
          count--;
        }
        this.send_code(REP_3_6, this.bl_tree);
        this.send_bits(count - 3, 2);
      } else if (count <= 10) {
        this.send_code(REPZ_3_10, this.bl_tree);
        this.send_bits(count - 3, 3);
      } else {
        this.send_code(REPZ_11_138, this.bl_tree);
        this.send_bits(count - 11, 7);
      }
      count = 0;
      prevlen = curlen;
      if (nextlen === 0) {
        max_count = 138;
        min_count = 3;
      } else if (curlen === nextlen) {
        max_count = 6;
        min_count = 3;
      } else {
        max_count = 7;
        min_count = 4;
      }
    }
  }

  private build_bl_tree(): number {
    this.scan_tree(this.dyn_ltree, this.l_desc.maxCode);
    this.scan_tree(this.dyn_dtree, this.d_desc.maxCode);
    this.build_tree(this.bl_desc);
    let max_blindex: number;
    for (max_blindex = BL_CODES - 1; max_blindex >= 3; max_blindex--)
      if (this.bl_tree.dl[bl_order[max_blindex]!] !== 0) break;
    this.opt_len += 3 * (max_blindex + 1) + 5 + 5 + 4;
    return max_blindex;
  }

  private send_all_trees(lcodes: number, dcodes: number, blcodes: number): void {
    this.send_bits(lcodes - 257, 5);
    this.send_bits(dcodes - 1, 5);
    this.send_bits(blcodes - 4, 4);
    for (let rank = 0; rank < blcodes; rank++) this.send_bits(this.bl_tree.dl[bl_order[rank]!]!, 3);
    this.send_tree(this.dyn_ltree, lcodes - 1);
    this.send_tree(this.dyn_dtree, dcodes - 1);
  }

  private d_code(dist: number): number {
    return dist < 256 ? this.dist_code[dist]! : this.dist_code[256 + (dist >> 7)]!;
  }

  /** ct_tally: record a literal (dist 0) or a match; true when the block should end. */
  private ct_tally(dist: number, lc: number): boolean {
    this.l_buf[this.last_lit++] = lc;
    if (dist === 0) this.dyn_ltree.fc[lc]!++;
    else {
      dist--;
      this.dyn_ltree.fc[this.length_code[lc]! + LITERALS + 1]!++;
      this.dyn_dtree.fc[this.d_code(dist)]!++;
      this.d_buf[this.last_dist++] = dist;
      this.flags |= this.flag_bit;
    }
    this.flag_bit = (this.flag_bit << 1) & 0xff;
    if ((this.last_lit & 7) === 0) {
      this.flag_buf[this.last_flags++] = this.flags;
      this.flags = 0;
      this.flag_bit = 1;
    }
    if ((this.last_lit & 0xfff) === 0) {
      let out_length = this.last_lit * 8;
      const in_length = this.strstart - this.block_start;
      for (let dcode = 0; dcode < D_CODES; dcode++)
        out_length += this.dyn_dtree.fc[dcode]! * (5 + extra_dbits[dcode]!);
      out_length >>>= 3;
      if (this.last_dist < this.last_lit >>> 1 && out_length < in_length >>> 1) return true;
    }
    return this.last_lit === LIT_BUFSIZE - 1 || this.last_dist === DIST_BUFSIZE;
  }

  private compress_block(ltree: Tree, dtree: Tree): void {
    let lx = 0;
    let dx = 0;
    let fx = 0;
    let flag = 0;
    if (this.last_lit !== 0)
      do {
        if ((lx & 7) === 0) flag = this.flag_buf[fx++]!;
        let lc = this.l_buf[lx++]!;
        if ((flag & 1) === 0) this.send_code(lc, ltree);
        else {
          let code = this.length_code[lc]!;
          this.send_code(code + LITERALS + 1, ltree);
          let extra = extra_lbits[code]!;
          if (extra !== 0) {
            lc -= this.base_length[code]!;
            this.send_bits(lc, extra);
          }
          let dist = this.d_buf[dx++]!;
          code = this.d_code(dist);
          this.send_code(code, dtree);
          extra = extra_dbits[code]!;
          if (extra !== 0) {
            dist -= this.base_dist[code]!;
            this.send_bits(dist, extra);
          }
        }
        flag >>= 1;
      } while (lx < this.last_lit);
    this.send_code(END_BLOCK, ltree);
  }

  /** flush_block: the cheapest encoding of the block (start -1: no longer in the window). */
  private flush_block(start: number, stored_len: number, eof: number): void {
    this.flag_buf[this.last_flags] = this.flags;
    this.build_tree(this.l_desc);
    this.build_tree(this.d_desc);
    const max_blindex = this.build_bl_tree();
    let opt_lenb = (this.opt_len + 3 + 7) >>> 3;
    const static_lenb = (this.static_len + 3 + 7) >>> 3;
    if (static_lenb <= opt_lenb) opt_lenb = static_lenb;
    if (stored_len + 4 <= opt_lenb && start >= 0) {
      this.send_bits((STORED_BLOCK << 1) + eof, 3);
      this.copy_block(start, stored_len);
    } else if (static_lenb === opt_lenb) {
      this.send_bits((STATIC_TREES << 1) + eof, 3);
      this.compress_block(this.static_ltree, this.static_dtree);
    } else {
      this.send_bits((DYN_TREES << 1) + eof, 3);
      this.send_all_trees(this.l_desc.maxCode + 1, this.d_desc.maxCode + 1, max_blindex + 1);
      this.compress_block(this.dyn_ltree, this.dyn_dtree);
    }
    this.init_block();
    if (eof) this.bi_windup();
  }
}
