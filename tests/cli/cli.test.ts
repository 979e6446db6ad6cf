import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/mmbox.js", import.meta.url));

function mmbox(args: string[], input = ""): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

describe("mmbox command line", () => {
  it.each([
    [
      ["-m", "12Q"],
      "mmbox: -m/--memory: invalid size '12Q' (accepted: a number with an optional K, M, G or T suffix)\n",
    ],
    [["-M", "nope"], "mmbox: -M/--machine: unknown machine 'nope' (accepted: vexpress-a9, pc, virt)\n"],
    [["-m", "0"], "mmbox: -m/--memory: 0 is out of range for vexpress-a9 (accepted: 16M to 2G)\n"],
    [["-m", "99T"], "mmbox: -m/--memory: 99T is out of range for vexpress-a9 (accepted: 16M to 2G)\n"],
    [["-M", "pc", "-m", "99T"], "mmbox: -m/--memory: 99T is out of range for pc (accepted: 16M to 1024G)\n"],
    [["--smp", "0"], "mmbox: --smp: invalid CPU count '0' (accepted: 1 to 4 on vexpress-a9)\n"],
    [
      ["--numa", "2"],
      "mmbox: --numa: invalid node count '2' (accepted: 1 to 8, more than 1 only with -M virt)\n",
    ],
    [
      ["--disk", "12Q"],
      "mmbox: --disk: invalid size '12Q' (accepted: 1M to 2T, with an optional K, M, G or T suffix)\n",
    ],
    [
      ["--disk", "512K"],
      "mmbox: --disk: invalid size '512K' (accepted: 1M to 2T, with an optional K, M, G or T suffix)\n",
    ],
    [
      ["--disk", "1G", "--disk", "1G", "--disk", "1G", "--disk", "1G", "--disk", "1G"],
      "mmbox: --disk: too many disks (accepted: at most 4 on vexpress-a9)\n",
    ],
    [["--bogus"], "mmbox: Unknown argument: bogus\n"],
  ])("rejects %j with one line and status 2", (args, err) => {
    const r = mmbox(args);
    expect(r.stderr).toBe(err);
    expect(r.stdout).toBe("");
    expect(r.status).toBe(2);
  });

  it("runs one command with -c and exits with its status", () => {
    expect(mmbox(["-c", "cat /proc/version"])).toEqual({
      stdout:
        "Linux version 6.1.0-50-armmp (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.1.176-1 (2026-07-02)\n",
      stderr: "",
      status: 0,
    });
    expect(mmbox(["-c", "cat /nonexistent"]).status).toBe(1);
  });

  it("adds --disk disks, in order, and records them for replay", () => {
    const r = mmbox(["-M", "pc", "--disk", "64M", "--disk", "1.5G", "--quiet", "-c", "cat /proc/partitions"]);
    expect(r.stdout).toBe(
      "major minor  #blocks  name\n\n 254        0      65536 vda\n 254       16    1572864 vdb\n",
    );
    const cast = join(mkdtempSync(join(tmpdir(), "mmbox-disk-")), "d.cast");
    expect(mmbox(["--disk", "100M", "--quiet", "--record", cast], "cat /sys/block/vda/size\n").stdout).toBe(
      "204800\n",
    );
    const header = JSON.parse(readFileSync(cast, "utf8").split("\n")[0]);
    expect(header.title).toBe("mmbox -M vexpress-a9 -m 1024M --smp 4 --seed 1 --disk 100M --append 'quiet'");
    expect(header.env.MMBOX_DISKS).toBe(String(100 * 2 ** 20));
    const check = mmbox(["replay", "--check", cast]);
    expect(check.status).toBe(0);
  });

  it("reads a script from a pipe", () => {
    const r = mmbox(["-M", "pc"], "uname -m\nexit 4\n");
    expect(r.stdout).toBe("x86_64\n");
    expect(r.status).toBe(4);
  });

  it("prints its version and help", () => {
    expect(mmbox(["--version"]).stdout).toBe("0.1.0\n");
    const help = mmbox(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--machine");
  });

  // A console carries bytes: UTF-8 typed in comes out as the same bytes, a byte that is
  // not text (0xff) is passed through, not re-encoded; CRLF line ends are taken as LF.
  it("passes the console's bytes through unchanged", () => {
    const r = spawnSync(process.execPath, [BIN, "--quiet"], {
      input: Buffer.from("echo 'h\u00e9 \u00fc' | wc -c\r\necho 'h\u00e9'\nprintf '\\377\\n'\n", "utf8"),
      env: { ...process.env, CI: "true" },
    });
    expect(r.stdout).toEqual(Buffer.concat([Buffer.from("7\nh\u00e9\n", "utf8"), Buffer.from([0xff, 0x0a])]));
    expect(mmbox(["--quiet", "-c", "echo h\u00e9llo | wc -c"]).stdout).toBe("7\n");
  });
});
