import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    exclude: ["dist/**", "node_modules/**"],
    testTimeout: 60_000,
    pool: "forks",
    // One worker per CPU (vitest's default leaves one CPU idle: a single worker on a 2-CPU runner).
    maxWorkers: "100%",
  },
});
