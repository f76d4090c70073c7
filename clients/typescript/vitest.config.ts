import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // One service for the whole run, started before the first test file and stopped after the last.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The service's files run one after another against the one service; the 2-core CI box shares it with a JVM.
    fileParallelism: false,
  },
});
