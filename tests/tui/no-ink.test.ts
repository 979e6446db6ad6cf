/*
 * The plain path never loads ink (or React): `printf 'free\n' | mmbox`
 * must start fast and work where ink cannot. A module resolve hook, loaded
 * with --import, makes resolving "ink" or "react" fail loudly; the plain
 * run must not notice, while importing the TUI chunk must trip it.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOOK = `
export async function resolve(spec, ctx, next) {
  if (spec === "ink" || spec === "react" || spec.startsWith("react/")) throw new Error("LOADED " + spec);
  return next(spec, ctx);
}`;
const REGISTER = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;
const IMPORT = `data:text/javascript,${encodeURIComponent(REGISTER)}`;

function node(args: string[], input = "") {
  const env = { ...process.env, CI: "true" };
  const r = spawnSync(process.execPath, ["--import", IMPORT, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("the plain path and ink", () => {
  it("runs `printf 'free\\n' | mmbox` without resolving ink or react", () => {
    const r = node(["bin/mmbox.js"], "free\n");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ +total +used +free/);
    expect(r.status).toBe(0);
  });

  it("plays and replays recordings without them too", () => {
    const r = node(["bin/mmbox.js", "play", "/nonexistent.cast"]);
    expect(r.stderr).toBe("mmbox: /nonexistent.cast: no such file\n");
    expect(r.status).toBe(2);
  });

  it("does load them for the TUI (the hook works)", () => {
    const main = readFileSync(`${ROOT}/dist/mmbox.js`, "utf8");
    const chunk = /import\("(\.\/run-[^"]+\.js)"\)/.exec(main)?.[1];
    expect(chunk).toBeDefined();
    const r = node([
      "-e",
      `import(${JSON.stringify(`./dist/${chunk!.slice(2)}`)}).catch((e) => { console.error(e.message); process.exit(3); })`,
    ]);
    expect(r.stderr).toContain("LOADED ");
    expect(r.status).toBe(3);
  });
});
