import { describe, expect, it } from "vitest";
import { PlainSession } from "../../src/plain/run.js";
import { applets } from "../../src/user/applets/registry.js";

/** A machine at its shell prompt. */
const atPrompt = (): PlainSession => new PlainSession({ machine: "vexpress-a9" });

const names = (s: PlainSession, path: string): string[] | null =>
  s.m.peekDir(path)?.map((e) => e.name + (e.dir ? "/" : e.exec ? "*" : "")) ?? null;

describe("Machine.peekDir (tab completion's view of the filesystem)", () => {
  it("lists the rootfs, procfs and sysfs directories, relative names from the shell's cwd", () => {
    const s = atPrompt();
    expect(names(s, "/")).toEqual(expect.arrayContaining(["bin/", "dev/", "etc/", "proc/", "sys/", "tmp/"]));
    expect(names(s, "/bin")).toEqual(expect.arrayContaining(["busybox*", "cat*", "sh*"]));
    expect(names(s, "bin")).toEqual(names(s, "/bin"));
    expect(names(s, "./proc/../bin/")).toEqual(names(s, "/bin"));
    expect(names(s, "/proc")).toEqual(
      expect.arrayContaining(["1/", "buddyinfo", "meminfo", "sys/", "zoneinfo"]),
    );
    expect(names(s, "/proc/sys/vm")).toEqual(expect.arrayContaining(["drop_caches", "min_free_kbytes"]));
    expect(names(s, "/proc/1")).toEqual(expect.arrayContaining(["cmdline", "status"]));
    expect(names(s, "/sys")).toEqual(expect.arrayContaining(["kernel/"]));
  });

  it.each(["/nonexistent", "/etc/passwd", "/proc/buddyinfo", "/proc/nope/x"])(
    "%s is not a directory",
    (p) => {
      expect(atPrompt().m.peekDir(p)).toBeNull();
    },
  );

  it("changes nothing: a session that peeks prints what one that does not prints", () => {
    const script = ["cat /proc/meminfo", "cat /proc/vmstat", "cat /proc/buddyinfo"];
    if (applets.has("ls")) script.push("ls -i / /etc /proc/sys/vm");
    const run = (peek: boolean): string => {
      const s = atPrompt();
      let out = "";
      for (const line of script) {
        if (peek)
          for (const p of ["/", "/bin", "/proc", "/proc/sys/vm", "/proc/1", "/etc", "/sys"]) s.m.peekDir(p);
        s.line(line);
        out += s.take();
      }
      return out;
    };
    const plain = run(false);
    expect(plain).toContain("MemTotal:");
    expect(run(true)).toBe(plain);
  });
});
