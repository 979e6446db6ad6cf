/*
 * keys.ts - /proc/keys and /proc/key-users (Linux security/keys/proc.c
 * proc_keys_show, proc_key_users_show).
 *
 *   /proc/keys       the keys the reader may view, by serial:
 *     "%08x %c%c%c%c%c%c%c %5d %4s %08x %5d %5d %-9.9s " then the type's
 *     describe: serial, flags (I instantiated, R revoked, D dead, Q in
 *     quota, U under construction, N negative, i invalidated), usage,
 *     expiry ("perm"), permissions, uid, gid, type; a keyring shows its
 *     description and ": N" links or ": empty", an asymmetric key its
 *     description, subtype, key id and capabilities.
 *   /proc/key-users  "%5u: %5d %d/%d %d/%d %d/%d": per uid the usage,
 *     keys/instantiated keys, and quota used/limit in keys and bytes
 *     (root's limits are key_quota_root_maxkeys/maxbytes).
 *
 * Every task here is root, the owner of every key, and each key grants its
 * owner View (KEY_USR_VIEW), so all are listed.
 */

import type { Kernel } from "../../kernel.js";
import { file, type ProcEntry } from "./generic.js";

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");

function proc_keys_show(k: Kernel): string {
  let out = "";
  for (const key of [...k.keys.keys.values()].sort((a, b) => a.serial - b.serial)) {
    out += `${hex8(key.serial)} I------ ${String(key.usage).padStart(5)} perm ${hex8(key.perm)} `;
    out += `${String(key.uid).padStart(5)} ${String(key.gid).padStart(5)} ${key.type.slice(0, 9).padEnd(9)} `;
    if (key.type === "keyring") out += `${key.description}: ${key.keys.length ? key.keys.length : "empty"}`;
    else out += `${key.description}${key.describe_extra ? `: ${key.describe_extra}` : ""}`;
    out += "\n";
  }
  return out;
}

/** key_quota_root_maxkeys, key_quota_root_maxbytes (and the limits of everyone else). */
const MAXKEYS = [1000000, 200];
const MAXBYTES = [25000000, 20000];

function proc_key_users_show(k: Kernel): string {
  let out = "";
  for (const u of [...k.keys.users.values()].sort((a, b) => a.uid - b.uid)) {
    const r = u.uid === 0 ? 0 : 1;
    out += `${String(u.uid).padStart(5)}: ${String(u.usage).padStart(5)} ${u.nkeys}/${u.nikeys} ${u.qnkeys}/${MAXKEYS[r]} ${u.qnbytes}/${MAXBYTES[r]}\n`;
  }
  return out;
}

export function proc_keys_entries(): ProcEntry[] {
  return [file("keys", (k) => proc_keys_show(k)), file("key-users", (k) => proc_key_users_show(k))];
}
