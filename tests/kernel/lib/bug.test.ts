import { describe, expect, it } from "vitest";
import { session } from "../../helpers/machine.js";

describe("an exception on the kernel's side", () => {
  it("oopses and panics the machine instead of escaping as a host stack trace", () => {
    const s = session();
    s.take();
    const dispatch = s.m.k.sched.dispatch!;
    let armed = true;
    s.m.k.sched.dispatch = (k, t, req) => {
      if (armed && t.comm === "cat") {
        armed = false;
        throw new TypeError("Cannot read properties of undefined (reading '0')");
      }
      return dispatch(k, t, req);
    };
    s.line("cat /proc/version");
    const log = s
      .take()
      .split("\n")
      .map((l) => l.replace(/^\[[ .0-9]+\] /, ""));
    expect(log.filter((l) => l !== "")).toEqual([
      "Unable to handle kernel paging request: Cannot read properties of undefined (reading '0')",
      "Internal error: Oops: 17 [#1] SMP",
      "Kernel panic - not syncing: Fatal exception",
      "---[ end Kernel panic - not syncing: Fatal exception ]---",
    ]);
    expect(s.m.panicked).toBe("Fatal exception");
    // The machine stays halted: further input runs nothing.
    s.line("echo after");
    expect(s.take()).not.toMatch(/after/);
  });
});
