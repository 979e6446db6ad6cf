/*
 * registry.ts - the applets of the BusyBox binary, one table (BusyBox's
 * applet_tables). /bin/busybox is one program; which applet runs depends on
 * the name it was started as (argv[0]), or on its first argument. Every
 * applet gets a link in its `dir` when the rootfs image is built
 * (src/host/rootfs.ts), as "busybox --install -s" would make.
 *
 * An applet is a value: its name, its directory, its usage text (what
 * "applet --help" and a bad option print after "Usage: "; absent for the
 * few applets that treat --help as an ordinary argument) and its main.
 */

import type { ProgramMain } from "../../kernel/uapi/syscalls.js";
import { stress_ng_main } from "../progs/stress-ng.js";
import { ascii } from "./ascii.js";
import { awk } from "./awk.js";
import { base64 } from "./base64.js";
import { basename, dirname } from "./basename.js";
import { bc, dc } from "./bc.js";
import { blockdev } from "./blockdev.js";
import { cal } from "./cal.js";
import { cat } from "./cat.js";
import { chmod } from "./chmod.js";
import { chgrp, chown } from "./chown.js";
import { clear } from "./clear.js";
import { cmp } from "./cmp.js";
import { cp } from "./cp.js";
import { crc32 } from "./crc32.js";
import { cttyhack } from "./cttyhack.js";
import { cut } from "./cut.js";
import { date } from "./date.js";
import { dd } from "./dd.js";
import { df } from "./df.js";
import { diff } from "./diff.js";
import { dmesg } from "./dmesg.js";
import { dos2unix, unix2dos } from "./dos2unix.js";
import { du } from "./du.js";
import { echo } from "./echo.js";
import { env } from "./env.js";
import { expand, unexpand } from "./expand.js";
import { expr } from "./expr.js";
import { factor } from "./factor.js";
import { fallocate } from "./fallocate.js";
import { find } from "./find.js";
import { fold } from "./fold.js";
import { free } from "./free.js";
import { getopt } from "./getopt.js";
import { egrep, fgrep, grep } from "./grep.js";
import { gunzip, gzip, zcat } from "./gzip.js";
import { halt, poweroff, reboot_applet } from "./halt.js";
import { head } from "./head.js";
import { hexdump } from "./hexdump.js";
import { hostid } from "./hostid.js";
import { hostname } from "./hostname.js";
import { groups, id } from "./id.js";
import { init } from "./init.js";
import { insmod } from "./insmod.js";
import { ionice } from "./ionice.js";
import { kill, killall } from "./kill.js";
import { link } from "./link.js";
import { ln } from "./ln.js";
import { logname } from "./logname.js";
import { ls } from "./ls.js";
import { lsmod } from "./lsmod.js";
import { md5sum, sha1sum, sha3sum, sha256sum, sha512sum } from "./md5_sha1_sum.js";
import { mkdir_applet } from "./mkdir.js";
import { mke2fs, mkfs_ext2 } from "./mke2fs.js";
import { mkfifo } from "./mkfifo.js";
import { mknod } from "./mknod.js";
import { mkswap } from "./mkswap.js";
import { mktemp } from "./mktemp.js";
import { more } from "./more.js";
import { mount } from "./mount.js";
import { mv } from "./mv.js";
import { nl } from "./nl.js";
import { nproc } from "./nproc.js";
import { od } from "./od.js";
import { pagealloc } from "./pagealloc.js";
import { paste } from "./paste.js";
import { physmap } from "./physmap.js";
import { pidof } from "./pidof.js";
import { pmap } from "./pmap.js";
import { printf } from "./printf.js";
import { ps } from "./ps.js";
import { pwd } from "./pwd.js";
import { readlink, realpath } from "./readlink.js";
import { renice } from "./renice.js";
import { rev } from "./rev.js";
import { rm } from "./rm.js";
import { rmdir_applet } from "./rmdir.js";
import { rmmod } from "./rmmod.js";
import { sed } from "./sed.js";
import { seq } from "./seq.js";
import { setsid_applet } from "./setsid.js";
import { shuf } from "./shuf.js";
import { slabtop } from "./slabtop.js";
import { sleep } from "./sleep.js";
import { sort } from "./sort.js";
import { stat_applet } from "./stat.js";
import { strings } from "./strings.js";
import { reset, stty } from "./stty.js";
import { swapoff_applet, swapon_applet } from "./swaponoff.js";
import { sync_applet } from "./sync.js";
import { sysctl } from "./sysctl.js";
import { tac } from "./tac.js";
import { tail } from "./tail.js";
import { tar } from "./tar.js";
import { taskset } from "./taskset.js";
import { tee } from "./tee.js";
import { bracket, bracket2, test } from "./test.js";
import { time } from "./time.js";
import { timeout } from "./timeout.js";
import { top } from "./top.js";
import { touch } from "./touch.js";
import { tr } from "./tr.js";
import { false_applet, true_applet } from "./true.js";
import { truncate } from "./truncate.js";
import { tty } from "./tty.js";
import { umount } from "./umount.js";
import { arch, uname } from "./uname.js";
import { uniq } from "./uniq.js";
import { unlink } from "./unlink.js";
import { uptime } from "./uptime.js";
import { usleep } from "./usleep.js";
import { uudecode, uuencode } from "./uuencode.js";
import { vmstat } from "./vmstat.js";
import { watch } from "./watch.js";
import { wc } from "./wc.js";
import { which } from "./which.js";
import { w, who } from "./who.js";
import { whoami } from "./whoami.js";
import { xargs } from "./xargs.js";
import { xxd } from "./xxd.js";
import { yes } from "./yes.js";

export interface Applet {
  name: string;
  /** Where `busybox --install` links it: /bin, /sbin, /usr/bin or /usr/sbin. */
  dir: "/bin" | "/sbin" | "/usr/bin" | "/usr/sbin";
  /** The usage text after "Usage: ". */
  usage?: string;
  main: ProgramMain;
}

export const applets = new Map<string, Applet>();

export function register(...list: Applet[]): void {
  for (const a of list) applets.set(a.name, a);
}

register(
  cat,
  cp,
  cttyhack,
  dmesg,
  echo,
  free,
  init,
  ln,
  ls,
  mkdir_applet,
  mount,
  mv,
  printf,
  pwd,
  rm,
  rmdir_applet,
);
register(expr, find, mkfifo, stat_applet);
// the system applets a study of memory and processes reaches for
register(fallocate, ionice, renice, taskset, timeout);
register(chgrp, chown, link, mknod, unlink, usleep);
register(groups, logname, setsid_applet, tty);
register(blockdev);
register(md5sum, sha1sum, sha256sum, sha512sum, sha3sum);
register(cmp, fold, mktemp, nl, paste, readlink, realpath, tac, truncate);
register(base64, strings, uudecode, uuencode, xxd);
register(crc32, dos2unix, expand, factor, getopt, rev, unexpand, unix2dos);
register(ascii, cal, diff, shuf);
register(bc, dc);
register(gunzip, gzip, zcat);
register(tar);
register(arch, hostid, reset, stty, w, who);
register(cut, head, sort, tail, tee, touch, tr, uname, uniq, wc);
register(basename, dirname, false_applet, seq, sleep, true_applet, yes);
register(egrep, fgrep, grep);
register(awk, bracket, bracket2, chmod, env, sed, test);
// system applets (procps, sysklogd, util-linux...)
register(kill, killall, pidof, ps, top);
register(more);
register(
  clear,
  date,
  dd,
  df,
  du,
  halt,
  hostname,
  id,
  nproc,
  pagealloc,
  poweroff,
  reboot_applet,
  sync_applet,
  sysctl,
  time,
  umount,
  uptime,
  vmstat,
  watch,
  which,
  whoami,
  xargs,
);
// kernel modules and slab caches (the SLUB/vmalloc issue's applets)
register(insmod, lsmod, rmmod, slabtop);
register(pmap);
register(mkswap, swapon_applet, swapoff_applet);
register(mke2fs, mkfs_ext2);
register(hexdump, od);
// the physical-memory picture (the OOM/compaction issue)
register(physmap);
// stress-ng's vm stressor (src/user/progs/stress-ng.ts): linked into the multi-call binary
// rather than shipped as an ELF of its own, which would grow the initramfs by 800 KiB
// and move the boot-time page layout that other tests pin down.
register({ name: "stress-ng", dir: "/usr/bin", main: stress_ng_main });
