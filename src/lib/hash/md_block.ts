/*
 * md_block.ts - the Merkle-Damgard frame shared by MD5 and the SHA-1/SHA-2
 * family (BusyBox libbb/hash_md5_sha.c's common64_hash/common64_end): input
 * is gathered into blocks of 64 (or 128) bytes, each block is handed to the
 * algorithm's compression function, and the end pads with 0x80, zeros and
 * the message length in bits (little-endian for MD5, big-endian for SHA),
 * in the last 8 (or 16) bytes of a block.
 *
 *   | message ... | 80 00 00 ... 00 | length in bits |
 *                                    <- 8 or 16 bytes ->
 */

/** What an applet needs of a hash: feed bytes, then take the digest once. */
export interface Hash {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export abstract class MdBlockHash implements Hash {
  private readonly block: Uint8Array;
  private fill = 0;
  /** Bytes hashed so far (a double is exact up to 2^53, enough for any simulated file). */
  private total = 0;

  constructor(
    /** 64, or 128 for SHA-512. */
    readonly blockSize: number,
    /** MD5 stores the length little-endian. */
    private readonly littleEndian: boolean,
  ) {
    this.block = new Uint8Array(blockSize);
  }

  /** The compression function: fold one block into the state. */
  protected abstract compress(block: DataView): void;
  /** The state as the digest's bytes. */
  protected abstract output(): Uint8Array;

  update(data: Uint8Array): void {
    this.total += data.length;
    let i = 0;
    while (i < data.length) {
      const n = Math.min(this.blockSize - this.fill, data.length - i);
      this.block.set(data.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === this.blockSize) {
        this.compress(new DataView(this.block.buffer));
        this.fill = 0;
      }
    }
  }

  digest(): Uint8Array {
    const lenBytes = this.blockSize / 8;
    const bits = this.total * 8;
    const pad = new Uint8Array(
      ((this.blockSize * 2 - lenBytes - 1 - this.fill) % this.blockSize) + 1 + lenBytes,
    );
    pad[0] = 0x80;
    const v = new DataView(pad.buffer);
    const hi = Math.floor(bits / 2 ** 32);
    const lo = bits >>> 0;
    if (this.littleEndian) {
      v.setUint32(pad.length - 8, lo, true);
      v.setUint32(pad.length - 4, hi, true);
    } else {
      v.setUint32(pad.length - 8, hi);
      v.setUint32(pad.length - 4, lo);
    }
    const total = this.total;
    this.update(pad);
    this.total = total;
    return this.output();
  }
}
