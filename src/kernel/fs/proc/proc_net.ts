/*
 * proc_net.ts - /proc/PID/net, what /proc/net links to (Linux
 * fs/proc/proc_net.c; net/core/net-procfs.c dev_seq_show, net/unix/af_unix.c
 * unix_seq_show, net/ipv4/proc.c sockstat_seq_show, net/ipv6/proc.c
 * sockstat6_seq_show).
 *
 * This kernel has the network stack the boot log registers (netlink,
 * inet, inet6, unix, packet) but no network device driver and no socket
 * system call: the one device is the loopback, registered at boot, never
 * brought up and never carrying a packet, and no process has a socket. So
 * each file shows that state:
 *
 *   dev        lo with its counters, all zero
 *   unix       the header, no socket
 *   sockstat   no socket in use; the kernel's own control sockets (ICMP,
 *   sockstat6  TCP resets, netlink) do not count (no sk_net_refcnt, unhashed)
 *
 * Simplified: the other files of a real /proc/net (the routing, neighbour,
 * SNMP counters and per-protocol socket tables) are left out.
 */

import { dir, file, type ProcEntry } from "./generic.js";

/** dev_seq_printf_stats for a device with all-zero rtnl_link_stats64. */
function dev_line(name: string): string {
  const z = (w: number): string => "0".padStart(w);
  const rx = [z(7), z(7), z(4), z(4), z(4), z(5), z(10), z(9)].join(" ");
  const tx = [z(8), z(7), z(4), z(4), z(4), z(5), z(7), z(10)].join(" ");
  return `${name.padStart(6)}: ${rx} ${tx}\n`;
}

function dev_show(): string {
  return (
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
    dev_line("lo")
  );
}

export function proc_net_entries(): ProcEntry[] {
  return [
    file("dev", () => dev_show()),
    file(
      "sockstat",
      () =>
        "sockets: used 0\nTCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\nUDP: inuse 0 mem 0\n" +
        "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n",
    ),
    file(
      "sockstat6",
      () => "TCP6: inuse 0\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n",
    ),
    file("unix", () => "Num       RefCount Protocol Flags    Type St Inode Path\n"),
  ];
}

/** The net directory of a process (its network namespace: the one there is). */
export function proc_net_dir(): ProcEntry {
  return dir("net", proc_net_entries());
}
