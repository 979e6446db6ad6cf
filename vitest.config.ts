import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    exclude: ["dist/**", "node_modules/**"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
