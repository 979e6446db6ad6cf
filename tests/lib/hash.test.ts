/*
 * hash.test.ts - the hashes of src/lib/hash against the published test
 * vectors (RFC 1321, FIPS 180-4 and FIPS 202 examples), whole and fed in
 * uneven pieces across block boundaries.
 */

import { describe, expect, it } from "vitest";
import type { Hash } from "../../src/lib/hash/md_block.js";
import { Md5 } from "../../src/lib/hash/md5.js";
import { Sha1 } from "../../src/lib/hash/sha1.js";
import { Sha3 } from "../../src/lib/hash/sha3.js";
import { Sha256 } from "../../src/lib/hash/sha256.js";
import { Sha512 } from "../../src/lib/hash/sha512.js";

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const ABC448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

const makers: Record<string, () => Hash> = {
  md5: () => new Md5(),
  sha1: () => new Sha1(),
  sha256: () => new Sha256(),
  sha512: () => new Sha512(),
  "sha3-224": () => new Sha3(224),
  "sha3-256": () => new Sha3(256),
  "sha3-512": () => new Sha3(512),
};

function digest(name: string, input: Uint8Array, piece = 0): string {
  const h = makers[name]();
  if (!piece) h.update(input);
  else for (let i = 0; i < input.length; i += piece) h.update(input.subarray(i, i + piece));
  return hex(h.digest());
}

describe("hashes, as the standards' test vectors", () => {
  it.each([
    ["md5", "", "d41d8cd98f00b204e9800998ecf8427e"],
    ["md5", "abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    [
      "md5",
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a",
    ],
    ["sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["sha1", ABC448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
    ["sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["sha256", ABC448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
    [
      "sha512",
      "",
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    ],
    [
      "sha512",
      "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ],
    [
      "sha512",
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    ],
    ["sha3-224", "", "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"],
    ["sha3-224", "abc", "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"],
    ["sha3-256", "abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"],
    ["sha3-256", ABC448, "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376"],
    [
      "sha3-512",
      "abc",
      "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
    ],
  ])("%s(%j)", (name, input, want) => {
    expect(digest(name, bytes(input))).toBe(want);
    expect(digest(name, bytes(input), 7)).toBe(want);
  });

  it.each([
    ["md5", "7707d6ae4e027c70eea2a935c2296f21"],
    ["sha1", "34aa973cd4c4daa4f61eeb2bdbad27316534016f"],
    ["sha256", "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
    [
      "sha512",
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
    ],
    ["sha3-256", "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1"],
  ])("%s of a million 'a's", (name, want) => {
    expect(digest(name, new Uint8Array(1000000).fill(0x61), 4096)).toBe(want);
  });
});
