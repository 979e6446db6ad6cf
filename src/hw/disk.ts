/*
 * disk.ts - the medium behind a disk: what the file of QEMU's -drive holds.
 *
 * A disk is a capacity and its pages. Each page is kept as its 32-bit
 * content tag (0: zeroes - never written, or a hole again; see
 * kernel/mm/content.ts), in typed-array chunks made as pages are first
 * written, and the bytes of the pages whose bytes matter (a superblock, a
 * directory, a file's first page). A fresh `--disk` is all zeroes; the root
 * disk of `root=/dev/vda` starts with an ext2 image of rootfs/ built on the
 * host (host/ext2_image.ts). Writes change the medium for the session only:
 * nothing here reaches a host file.
 *
 * The driver (kernel/block/virtio_blk.ts) moves pages in and out and says
 * what each transfer costs; this file only stores them.
 */

/** Pages per chunk of tags. */
const CHUNK_SHIFT = 16;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;
/** Tags from here on stand for a page of one byte value (content.ts's SAME_FILLED). */
const SAME_FILLED = 0xffffff00;

export class DiskImage {
  /**
   * The tags, by chunk (index >>> CHUNK_SHIFT); a chunk not made yet is all
   * zeroes. (Both chunk arrays have a slot for every chunk from the start:
   * reads stay in bounds and the arrays keep one element kind, so the
   * second machine of a process runs the code optimized for the first.)
   */
  private chunks: (Uint32Array | undefined)[];
  private bytes = new Map<number, Uint8Array>();
  /** 1 for the pages of a chunk whose bytes are kept: most writes then need no Map lookup. */
  private kept: (Uint8Array | undefined)[];

  /** capacity: the size of the medium in bytes. */
  constructor(readonly capacity: number) {
    const n = Math.ceil(capacity / 4096 / (1 << CHUNK_SHIFT)) + 1;
    this.chunks = Array.from({ length: n }, () => undefined);
    this.kept = Array.from({ length: n }, () => undefined);
  }

  /** The tag of page index (0 for zeroes). */
  tag(index: number): number {
    return this.chunks[index >>> CHUNK_SHIFT]?.[index & CHUNK_MASK] ?? 0;
  }

  /** The kept bytes of page index, if its bytes matter. */
  page_bytes(index: number): Uint8Array | null {
    return this.bytes.get(index) ?? null;
  }

  /**
   * Stores a page: its tag, and its bytes unless the tag says it all (zero
   * and same-filled pages are known by their tag; a zero page is a hole again).
   */
  write_page(index: number, tag: number, bytes: Uint8Array | null): void {
    // (The tag is passed on as an int32, the same 32 bits in the Uint32Array: a same-filled
    // page's tag is above 2^31, and as an argument it was a new heap number per page written.)
    this.set_tag(index, tag | 0);
    if (bytes !== null && tag !== 0 && tag < SAME_FILLED) {
      this.bytes.set(index, bytes);
      let kept = this.kept[index >>> CHUNK_SHIFT];
      if (!kept) {
        kept = new Uint8Array(1 << CHUNK_SHIFT);
        this.kept[index >>> CHUNK_SHIFT] = kept;
      }
      kept[index & CHUNK_MASK] = 1;
    } else if (this.kept[index >>> CHUNK_SHIFT] !== undefined) this.drop_bytes(index);
  }

  /**
   * write_page of a page whose tag says it all (no bytes to keep): a swap-out
   * writes every page reclaim frees this way. The tag may come as an int32
   * (tag | 0: the same 32 bits, and no heap number for a tag above 2^31).
   */
  write_tag(index: number, tag: number): void {
    const c = this.chunks[index >>> CHUNK_SHIFT];
    if (c !== undefined) c[index & CHUNK_MASK] = tag;
    else this.set_tag(index, tag);
    const kept = this.kept[index >>> CHUNK_SHIFT];
    if (kept !== undefined && kept[index & CHUNK_MASK] !== 0) this.drop_bytes(index);
  }

  /** The page is a hole again (discard). */
  discard(index: number): void {
    this.set_tag(index, 0);
    this.drop_bytes(index);
  }

  private drop_bytes(index: number): void {
    const kept = this.kept[index >>> CHUNK_SHIFT];
    if (!kept?.[index & CHUNK_MASK]) return;
    kept[index & CHUNK_MASK] = 0;
    this.bytes.delete(index);
  }

  private set_tag(index: number, tag: number): void {
    let c = this.chunks[index >>> CHUNK_SHIFT];
    if (!c) {
      if (tag === 0) return;
      c = new Uint32Array(1 << CHUNK_SHIFT);
      this.chunks[index >>> CHUNK_SHIFT] = c;
    }
    c[index & CHUNK_MASK] = tag;
  }
}
