import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";
import { badopt, usage } from "./util.js";

const IN_T = ["mkdir -p /tmp/t", "cd /tmp/t"];

describe("mkdir, rmdir, rm", () => {
  it("create and remove directories, with BusyBox's complaints", () => {
    const r = sh([
      ...IN_T,
      "echo a > a",
      "mkdir x x",
      "mkdir -p x/a/b",
      "mkdir q/w/e",
      "mkdir -m 700 m",
      "mkdir -m abc n",
      "rmdir x",
      "rmdir -p x/a/b",
      "rmdir nope",
      "rmdir m/",
      "rmdir a",
      "rm -r nope",
      "rm -f nope",
      "rm -f",
      "rm -r .",
      "ls",
    ]);
    expect(r.output).toBe(
      "mkdir: can't create directory 'x': File exists\n" +
        "mkdir: can't create directory 'q/w/e': No such file or directory\n" +
        "mkdir: invalid mode 'abc'\n" +
        "rmdir: 'x': Directory not empty\nrmdir: 'nope': No such file or directory\nrmdir: 'a': Not a directory\n" +
        "rm: can't remove 'nope': No such file or directory\nrm: can't remove '.' or '..'\na\n",
    );
  });

  it("asks with -i, one answer per line of stdin", () => {
    const r = sh([
      "touch /tmp/a /tmp/b /tmp/c",
      "printf 'y\\nn\\ny\\n' | rm -i /tmp/a /tmp/b /tmp/c",
      "echo",
      "ls /tmp/a /tmp/b /tmp/c",
    ]);
    expect(r.output).toBe(
      "rm: remove '/tmp/a'? rm: remove '/tmp/b'? rm: remove '/tmp/c'? \n" +
        "ls: /tmp/a: No such file or directory\nls: /tmp/c: No such file or directory\n/tmp/b\n",
    );
  });

  it("applies -m exactly, whatever the umask", () => {
    const r = sh(["mkdir -m 1751 /tmp/m", "mkdir -m u=rwx,go= /tmp/n", "ls -ld /tmp/m /tmp/n | cut -c1-10"]);
    expect(r.output).toBe("drwxr-x--t\ndrwx------\n");
  });

  it("removes trees with -r, and refuses directories without it", () => {
    const r = sh([
      "mkdir -p /tmp/r/s",
      "echo 1 > /tmp/r/s/f",
      "rm /tmp/r",
      "echo $?",
      "rm -r /tmp/r",
      "ls /tmp/r",
    ]);
    expect(r.output).toBe("rm: '/tmp/r' is a directory\n1\nls: /tmp/r: No such file or directory\n");
  });

  it.each([
    ["mkdir", usage("mkdir")],
    ["rmdir", usage("rmdir")],
    ["rm", usage("rm")],
    ["mkdir -z d", badopt("mkdir", "z")],
    ["rm -z f", badopt("rm", "z")],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(`${out}1\n`);
  });
});

describe("cp, mv, ln, touch, pwd", () => {
  it("copy, move and link, with BusyBox's complaints", () => {
    const r = sh([
      ...IN_T,
      "echo a > a",
      "mkdir d",
      "cp nope y",
      "cp a a",
      "cp d e",
      "cp a b c",
      "cp -r d e",
      "cp a d/",
      "cp a /nonexist/x",
      "ls . d e",
      "mv nope y",
      "mv a a",
      "mv e f",
      "mv a f/",
      "ln -s f/a l2",
      "ln -s f/a l2",
      "ln nope h",
      "cat l2",
      "pwd",
    ]);
    expect(r.output).toBe(
      "cp: can't stat 'nope': No such file or directory\ncp: 'a' and 'a' are the same file\n" +
        "cp: omitting directory 'd'\ncp: can't create 'c/a': No such file or directory\n" +
        "cp: can't stat 'b': No such file or directory\ncp: can't create '/nonexist/x': No such file or directory\n" +
        ".:\na  d  e\n\nd:\na\n\ne:\n" +
        "mv: can't rename 'nope': No such file or directory\n" +
        "ln: l2: File exists\nln: nope: No such file or directory\na\n/tmp/t\n",
    );
  });

  it("copies trees with -a keeping symlinks, and moves across filesystems", () => {
    const r = sh([
      "mkdir -p /tmp/s/d",
      "echo deep > /tmp/s/d/f",
      "ln -s d/f /tmp/s/l",
      "cp -a /tmp/s /tmp/c",
      "cd /tmp/c",
      "ls -l l | cut -c1-11,58-",
      "cat /tmp/c/d/f",
      "echo moved > /tmp/m1",
      "mv /tmp/m1 /root/m1",
      "cat /root/m1",
      "ls /tmp/m1",
    ]);
    expect(r.output).toBe("lrwxrwxrwx l -> d/f\ndeep\nmoved\nls: /tmp/m1: No such file or directory\n");
  });

  it("says what it did with -v, as BusyBox does", () => {
    const r = sh([
      "mkdir -p /tmp/v1/sub",
      "touch /tmp/v1/sub/b",
      "cp -rv /tmp/v1 /tmp/v2",
      "mv -v /tmp/v2 /tmp/v3",
      "rm -rv /tmp/v3",
      "mkdir -v /tmp/mkv",
      "rmdir -v /tmp/mkv",
    ]);
    expect(r.output).toBe(
      "'/tmp/v1/sub/b' -> '/tmp/v2/sub/b'\n'/tmp/v1/sub' -> '/tmp/v2/sub'\n'/tmp/v1' -> '/tmp/v2'\n" +
        "'/tmp/v2' -> '/tmp/v3'\n" +
        "removed '/tmp/v3/sub/b'\nremoved directory: '/tmp/v3/sub'\nremoved directory: '/tmp/v3'\n" +
        "created directory: '/tmp/mkv'\nrmdir: removing directory, '/tmp/mkv'\n",
    );
  });

  // Linux's shmem counts BOGO_DIRENT_SIZE (20) per entry in a directory's
  // size, "." and ".." included.
  it("shows the size of a tmpfs directory as Linux does (shmem counts BOGO_DIRENT_SIZE an entry)", () => {
    const r = sh(["mkdir /tmp/d", "touch /tmp/d/a", "ls -ld /tmp/d | cut -c 35-43"]);
    expect(r.output).toBe("       60\n");
  });

  it("sets times with touch -d and -t, and creates files unless -c", () => {
    const r = sh([
      ...IN_T,
      "touch /nonexist/x",
      "touch -c new",
      "ls new",
      "touch -d bad made",
      "touch made",
      "touch -t 202101020304.05 made",
      "ls -l --full-time made",
      "touch -d '2020-01-02 03:04:05' made",
      "ls -l --full-time made",
    ]);
    expect(r.output).toBe(
      "touch: /nonexist/x: No such file or directory\nls: new: No such file or directory\n" +
        "touch: invalid date 'bad'\n" +
        "-rw-r--r--    1 root     root             0 2021-01-02 03:04:05 +0000 made\n" +
        "-rw-r--r--    1 root     root             0 2020-01-02 03:04:05 +0000 made\n",
    );
  });

  it.each([
    ["cp a", usage("cp")],
    ["mv a", usage("mv")],
    ["ln", usage("ln")],
    ["touch", usage("touch")],
    ["cp -z a b", badopt("cp", "z")],
    ["mv -z a b", badopt("mv", "z")],
    ["ln -z a b", badopt("ln", "z")],
    ["touch -z a", badopt("touch", "z")],
    // glibc names the program as it was run
    ["/bin/pwd -z", `/bin/pwd: invalid option -- 'z'\n${usage("pwd")}`],
  ])("%s", (cmd, out) => {
    expect(sh([cmd, "echo $?"]).output).toBe(`${out}1\n`);
  });
});
