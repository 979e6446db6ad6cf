import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt, usage } from "./util.js";

const TREE = [
  "mkdir -p /tmp/t/d1/sub /tmp/t/d2",
  "cd /tmp/t",
  "echo hello > a.txt",
  "echo x > b",
  "ln -s a.txt link",
  "ln -s nowhere dangling",
  "mkdir .hid",
  "touch .hf",
];

describe("ls", () => {
  it("lays names out in columns on the console, like BusyBox", () => {
    const r = sh([...TREE, "ls", "ls -a", "ls -C -w 20", "ls -x -w 30", "ls -r", "ls -Q"]);
    expect(r.output).toBe(
      "a.txt     b         d1        d2        dangling  link\n" +
        ".         .hf       a.txt     d1        dangling\n..        .hid      b         d2        link\n" +
        "a.txt     d2\nb         dangling\nd1        link\n" +
        "a.txt     b         d1\nd2        dangling  link\n" +
        "link      dangling  d2        d1        b         a.txt\n" +
        '"a.txt"     "b"         "d1"        "d2"        "dangling"  "link"\n',
    );
  });

  it("lists operands: files first, then each directory under a header; -R recurses", () => {
    const r = sh([...TREE, "ls -1 d1 a.txt /nope", "echo $?", "ls -R", "ls -F", "ls -d d1 d2 ."]);
    expect(r.output).toBe(
      "ls: /nope: No such file or directory\na.txt\n\nd1:\nsub\n1\n" +
        ".:\na.txt     b         d1        d2        dangling  link\n\n./d1:\nsub\n\n./d1/sub:\n\n./d2:\n" +
        "a.txt     b         d1/       d2/       dangling@ link@\n" +
        ".   d1  d2\n",
    );
  });

  it("prints the long format: mode, links, owner, size, date, name -> target", () => {
    const r = sh(["ls -l /etc/passwd /bin/sh", "ls -ln /etc/passwd", "ls -lh /bin/busybox", "ls -s /etc"]);
    const date = "[A-Z][a-z]{2} [ \\d]\\d (\\d\\d:\\d\\d| \\d{4})";
    expect(r.output).toMatch(
      new RegExp(
        `^lrwxrwxrwx    1 root     root             7 ${date} /bin/sh -> busybox\n` +
          `-rw-r--r--    1 root     root           123 ${date} /etc/passwd\n` +
          `-rw-r--r--    1 0        0              123 ${date} /etc/passwd\n` +
          `-rwxr-xr-x    1 root     root {8}\\d\\.\\dM ${date} /bin/busybox\n` +
          "total 12\n     4 group       0 init.d      4 inittab     4 passwd\n$",
      ),
    );
  });

  it("paints names by type with --color (always, any prefix of it, or tty when stdout is one)", () => {
    const E = "\x1b";
    const r = sh([
      ...TREE,
      "ls --color=al",
      "ls --color=bad",
      "ls --color=tty > /tmp/c",
      "cat /tmp/c | head -n 1",
    ]);
    const c = (attr: string, name: string, pad: number): string =>
      `${E}[${attr}m${name}${E}[m${" ".repeat(pad)}`;
    expect(r.output).toBe(
      c("0;0", "a.txt", 5) +
        c("0;0", "b", 9) +
        c("1;34", "d1", 8) +
        c("1;34", "d2", 8) +
        c("1;36", "dangling", 2) +
        c("1;36", "link", 0) +
        "\na.txt     b         d1        d2        dangling  link\na.txt\n",
    );
  });

  it("prints --full-time dates and a total for -l directories", () => {
    const r = sh(["ls --full-time /etc/group", "ls -l /etc | head -1"]);
    expect(r.output).toBe(
      "-rw-r--r--    1 root     root            39 2026-07-02 00:00:00 +0000 /etc/group\ntotal 12\n",
    );
  });

  // Kernel: stat() returns st_rdev in the kernel's internal dev_t encoding
  // (major << 20 | minor) instead of new_encode_dev(), so glibc's major()/minor()
  // read /dev/null as 0, 259.
  it("shows device numbers of /dev/null as 1, 3 (BusyBox prints them with %4u, %4u)", () => {
    expect(sh(["ls -l /dev/null"]).output).toMatch(/^crw-rw-rw- {4}1 root {5}root {8}1, {4}3 /);
  });

  // Kernel: populate_rootfs gives symlinks no mtime, and sets a directory's
  // mtime before its entries are created (Linux defers it: dir_utime() in
  // init/initramfs.c), so /etc and /bin/sh show the boot time, not the image's.
  it("shows the image's times for rootfs directories and symlinks (needs initramfs dir_utime)", () => {
    const r = sh(["ls -ld --full-time /etc /bin/sh | cut -c 45-"]);
    expect(r.output).toBe("2026-07-02 00:00:00 +0000 /bin/sh -> busybox\n2026-07-02 00:00:00 +0000 /etc\n");
  });

  it("rejects bad options and numbers", () => {
    const r = sh(["ls -y", "ls --foo", "ls -w abc", "ls --full-time=3"]);
    expect(r.output).toBe(
      badopt("ls", "y") +
        `ls: unrecognized option '--foo'\n${usage("ls")}` +
        "ls: invalid number 'abc'\n" +
        `ls: option '--full-time' doesn't allow an argument\n${usage("ls")}`,
    );
  });

  // proc_exe_link: a kernel thread has no executable, so readlink fails with ENOENT;
  // xmalloc_readlink_or_warn complains and the line goes on without " -> ".
  it("warns about a link it cannot read (a kernel thread's exe)", () => {
    const r = sh(["ls -l /proc/2/exe 2>/tmp/err | cut -c 1-10,57-", "cat /tmp/err", "pidof ''; echo rc=$?"]);
    expect(r.output).toBe(
      "lrwxrwxrwx /proc/2/exe\nls: /proc/2/exe: cannot read link: No such file or directory\nrc=1\n",
    );
  });

  // scan_one_dir lstat()s each entry while the directory is open on fd 3; by the time the
  // lines are printed it is closed, so its link cannot be read. The links' rights follow
  // the descriptors' modes, and their size is 64, as 6.1's /proc says.
  it("lists /proc/self/fd with its own directory descriptor, as BusyBox on Linux does", () => {
    const r = sh(["exec 4</dev/null 5>/tmp/x", "ls -l /proc/self/fd/"]);
    expect(r.output).toBe(
      [
        "total 0",
        "lrwx------    1 root     root            64 Nov 22 01:36 0 -> /dev/ttyAMA0",
        "lrwx------    1 root     root            64 Nov 22 01:36 1 -> /dev/ttyAMA0",
        "lrwx------    1 root     root            64 Nov 22 01:36 2 -> /dev/ttyAMA0",
        "ls: /proc/self/fd/3: cannot read link: No such file or directory",
        "lr-x------    1 root     root            64 Nov 22 01:36 3",
        "lr-x------    1 root     root            64 Nov 22 01:36 4 -> /dev/null",
        "l-wx------    1 root     root            64 Nov 22 01:36 5 -> /tmp/x",
        "",
      ].join("\n"),
    );
  });
});
