/*
 * /proc/PID/task: each process's threads (one here: the task itself), each
 * a directory with the process's files; /proc/thread-self points into it.
 */

import { describe, expect, it } from "vitest";
import { sh } from "../../helpers/machine.js";

describe("/proc/PID/task", () => {
  it("lists the one thread, whose files are the process's", () => {
    const r = sh([
      "ls /proc/$$/task",
      "cut -d' ' -f1-3 /proc/$$/task/$$/stat",
      "readlink /proc/thread-self | grep -c '^[0-9]*/task/[0-9]*$'",
      "head -1 /proc/thread-self/status",
      "ls /proc/1/task/1 | grep -c task",
      "ls /proc/$$/task/1 2>&1",
    ]);
    expect(r.output).toBe(
      ["60", "60 (sh) S", "1", "Name:\thead", "0", "ls: /proc/60/task/1: No such file or directory", ""].join(
        "\n",
      ),
    );
  });
});
