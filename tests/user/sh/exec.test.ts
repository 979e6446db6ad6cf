/*
 * exec.test.ts - how the shell starts programs and is started: a file
 * without #! runs as a shell script (ENOEXEC), #! scripts, sh -c, sh -s and
 * commands piped into sh, and rcS run by init at boot.
 */

import { describe, expect, it } from "vitest";
import { IMAGE_MTIME, load_rootfs } from "../../../src/host/rootfs.js";
import { S_IFREG } from "../../../src/kernel/uapi/abi.js";
import { sh } from "../../helpers/machine.js";

const file = (path: string, text: string, mode = 0o755) => ({
  path,
  mode: S_IFREG | mode,
  mtime: IMAGE_MTIME,
  data: new TextEncoder().encode(text),
});

const rootfs = [
  ...load_rootfs(),
  file("/root/plain", "echo plain script: $0 $1\nexit 4\n"),
  file("/root/bang", "#!/bin/sh\necho bang script: $0 $#\n"),
  file("/root/comm", "#!/bin/sh\ncat /proc/$$/comm /proc/$$/cmdline\n"),
  file("/root/noexec", "echo never\n", 0o644),
];

describe("running programs", () => {
  it.each([
    [
      "a file without #! runs as a shell script",
      "/root/plain arg; echo $?",
      "plain script: /root/plain arg\n4\n",
    ],
    ["#! names the interpreter", "/root/bang a b", "bang script: /root/bang 2\n"],
    [
      "a #! script's comm is its own name, its argv the interpreter's (binfmt_script)",
      "/root/comm x",
      "comm\n/bin/sh\0/root/comm\0x\0",
    ],
    ["a file without x permission", "/root/noexec; echo $?", "sh: /root/noexec: Permission denied\n126\n"],
    ["a directory", "/root; echo $?", "sh: /root: Permission denied\n126\n"],
    ["sh -c with $0 and arguments", "sh -c 'echo $0 $1 $#' zero one", "zero one 1\n"],
    ["sh -s reads commands from stdin", "echo 'echo from stdin $1' | sh -s arg", "from stdin arg\n"],
    [
      "commands piped into sh",
      "printf 'x=5\\necho $((x*2))\\nfoo\\n' | sh; echo $?",
      "10\nsh: foo: not found\n127\n",
    ],
    [
      "a missing script",
      "sh /nonexistent; echo $?",
      "sh: can't open '/nonexistent': No such file or directory\n2\n",
    ],
    ["an unknown option", "sh -Z; echo $?", "sh: illegal option -Z\n2\n"],
  ])("%s", (_what, line, output) => {
    expect(sh([line], { rootfs })).toEqual({ output, status: 0 });
  });

  it("init ran rcS with the shell at boot: /proc and /tmp are mounted", () => {
    expect(sh(["cat /proc/sys/vm/swappiness", "echo x > /tmp/f && cat /tmp/f"]).output).toBe("60\nx\n");
  });
});
