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
import { cat } from "./cat.js";
import { clear } from "./clear.js";
import { cttyhack } from "./cttyhack.js";
import { date } from "./date.js";
import { dd } from "./dd.js";
import { df } from "./df.js";
import { dmesg } from "./dmesg.js";
import { du } from "./du.js";
import { echo } from "./echo.js";
import { free } from "./free.js";
import { halt, poweroff, reboot_applet } from "./halt.js";
import { hexdump } from "./hexdump.js";
import { hostname } from "./hostname.js";
import { id } from "./id.js";
import { init } from "./init.js";
import { insmod } from "./insmod.js";
import { kill, killall } from "./kill.js";
import { lsmod } from "./lsmod.js";
import { mount } from "./mount.js";
import { nproc } from "./nproc.js";
import { od } from "./od.js";
import { pagealloc } from "./pagealloc.js";
import { pidof } from "./pidof.js";
import { pmap } from "./pmap.js";
import { printf } from "./printf.js";
import { ps } from "./ps.js";
import { rmmod } from "./rmmod.js";
import { slabtop } from "./slabtop.js";
import { sync_applet } from "./sync.js";
import { sysctl } from "./sysctl.js";
import { time } from "./time.js";
import { top } from "./top.js";
import { umount } from "./umount.js";
import { uname } from "./uname.js";
import { uptime } from "./uptime.js";
import { vmstat } from "./vmstat.js";
import { watch } from "./watch.js";
import { which } from "./which.js";
import { whoami } from "./whoami.js";
import { xargs } from "./xargs.js";

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

register(cat, cttyhack, dmesg, echo, free, init, mount, printf, uname);
register(kill, killall, pidof, ps);
register(top);
register(uptime, nproc, hostname, whoami, id, sync_applet, clear, which, halt, poweroff, reboot_applet);
register(sysctl);
register(dd, df, du, umount);
register(vmstat);
register(time, pagealloc);
register(date, watch, xargs);
register(pmap);
register(hexdump, od);
register(insmod, lsmod, rmmod, slabtop);
