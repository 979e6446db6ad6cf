/*
 * key.ts - the kernel's key database (Linux security/keys/key.c key_alloc,
 * keyring.c keyring_alloc/key_link, and the boot-time keyrings of
 * certs/system_keyring.c, certs/blacklist.c, certs/system_certificates
 * loading, security/integrity/digsig.c, ima_init and init_evm).
 *
 * A key has a random serial (key_alloc_serial: 31 random bits, at least 3),
 * a type, a description, an owner and permissions, a usage count (the
 * references to it: the kernel's own pointer, a keyring's link) and, for a
 * keyring, the keys linked into it. Every key belongs to a key_user (its
 * owner's quota record); keys the kernel makes for itself are
 * KEY_ALLOC_NOT_IN_QUOTA and count in no quota.
 *
 * Which keys exist is what the boot did, as its log says (key_boot_line):
 *
 *   Initialise system trusted keyrings    .builtin_trusted_keys, and
 *                                         .secondary_trusted_keys linking it
 *   Key type blacklist registered         .blacklist (no hash listed)
 *   integrity: Platform Keyring ...       .platform
 *   integrity: Machine keyring ...        .machine (not linked: no MOK trust
 *                                         without EFI)
 *   Loaded X.509 cert '...'               the asymmetric key, in .builtin
 *   ima: No TPM chip found ...            .ima  (ima_init)
 *   evm: Initialising EVM ...             .evm  (init_evm)
 *
 * Nothing here calls keyctl or add_key, so no user or session keyring is
 * ever made (they are created on first use). Serials come from a PRNG of
 * their own seeded from --seed, so that drawing them moves no other
 * random number of the machine.
 */

import { Prng } from "../../../lib/prng.js";

/* key permissions (include/uapi/linux/keyctl.h KEY_POS_* / KEY_USR_*) */
export const KEY_POS_VIEW = 0x01000000;
export const KEY_POS_READ = 0x02000000;
export const KEY_POS_WRITE = 0x04000000;
export const KEY_POS_SEARCH = 0x08000000;
export const KEY_POS_ALL = 0x3f000000;
export const KEY_POS_SETATTR = 0x20000000;
export const KEY_USR_VIEW = 0x00010000;
export const KEY_USR_READ = 0x00020000;
export const KEY_USR_WRITE = 0x00040000;
export const KEY_USR_SEARCH = 0x00080000;

/** struct key, what /proc/keys shows. */
export interface Key {
  serial: number;
  /** key_type name: "keyring", "asymmetric". */
  type: string;
  description: string;
  uid: number;
  gid: number;
  perm: number;
  /** refcount: references held on the key. */
  usage: number;
  /** A keyring's links (assoc_array leaves). */
  keys: Key[];
  /** asymmetric_key_describe's part after the description (subtype, key id, capabilities). */
  describe_extra: string | null;
}

/** struct key_user: a uid's keys and quota use. */
export interface KeyUser {
  uid: number;
  usage: number;
  nkeys: number;
  nikeys: number;
  qnkeys: number;
  qnbytes: number;
}

export class KeyState {
  /** key_serial_tree, by serial. */
  readonly keys = new Map<number, Key>();
  /** key_user_tree, by uid. */
  readonly users = new Map<number, KeyUser>();
  /** The kernel's named keyrings. */
  builtin_trusted_keys: Key | null = null;
  private readonly rng: Prng;
  constructor(seed: number) {
    this.rng = new Prng((seed ^ 0x6b657973) >>> 0); // "keys"
  }

  /** key_alloc_serial: random, positive, at least 3, unused. */
  key_alloc_serial(): number {
    let serial: number;
    do serial = this.rng.u32() >>> 1;
    while (serial < 3 || this.keys.has(serial));
    return serial;
  }
}

/** key_alloc + instantiation of a key the kernel owns (root, KEY_ALLOC_NOT_IN_QUOTA). */
function key_alloc(s: KeyState, type: string, description: string, perm: number, extra: string | null): Key {
  const key: Key = {
    serial: s.key_alloc_serial(),
    type,
    description,
    uid: 0,
    gid: 0,
    perm,
    usage: 1,
    keys: [],
    describe_extra: extra,
  };
  s.keys.set(key.serial, key);
  let user = s.users.get(0);
  if (!user) {
    user = { uid: 0, usage: 0, nkeys: 0, nikeys: 0, qnkeys: 0, qnbytes: 0 };
    s.users.set(0, user);
  }
  user.usage++;
  user.nkeys++;
  user.nikeys++; // instantiated at once
  return key;
}

/** keyring_alloc. */
function keyring_alloc(s: KeyState, description: string, perm: number): Key {
  return key_alloc(s, "keyring", description, perm, null);
}

/** key_link: the keyring holds a reference to the key. */
function key_link(keyring: Key, key: Key): void {
  keyring.keys.push(key);
  key.usage++;
}

const KERNEL_KEYRING = (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH;

/** The key the boot log line says the kernel made, if any. */
export function key_boot_line(s: KeyState, text: string): void {
  if (text === "Initialise system trusted keyrings") {
    const builtin = keyring_alloc(s, ".builtin_trusted_keys", KERNEL_KEYRING);
    const secondary = keyring_alloc(s, ".secondary_trusted_keys", KERNEL_KEYRING | KEY_USR_WRITE);
    key_link(secondary, builtin);
    s.builtin_trusted_keys = builtin;
  } else if (text === "Key type blacklist registered") {
    const pos = KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH | KEY_POS_WRITE;
    keyring_alloc(s, ".blacklist", pos | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH);
  } else if (text === "integrity: Platform Keyring initialized") {
    keyring_alloc(s, ".platform", KERNEL_KEYRING);
  } else if (text === "integrity: Machine keyring initialized") {
    keyring_alloc(s, ".machine", KERNEL_KEYRING);
  } else if (text.startsWith("Loaded X.509 cert '") && s.builtin_trusted_keys) {
    // x509_key_preparse: "CN: <subject key id>"; the id shown is the SKID's last 4 bytes.
    const description = text.slice("Loaded X.509 cert '".length, -1);
    const skid = description.slice(description.lastIndexOf(" ") + 1);
    const key = key_alloc(
      s,
      "asymmetric",
      description,
      (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ,
      `X509.rsa ${skid.slice(-8)} []`,
    );
    key_link(s.builtin_trusted_keys, key);
    key.usage--; // key_ref_put: the keyring's link is left
  } else if (text === "ima: No TPM chip found, activating TPM-bypass!") {
    keyring_alloc(s, ".ima", KERNEL_KEYRING | KEY_USR_WRITE);
  } else if (text === "evm: Initialising EVM extended attributes:") {
    keyring_alloc(s, ".evm", KERNEL_KEYRING | KEY_USR_WRITE);
  }
}
