import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Four projects: pure/node code, DOM components (happy-dom), real-browser tests (Chromium via
// playwright-core) and the cluster suite (three relay processes behind HAProxy on a Redis of its
// own). Browser tests run one file at a time, after the first two projects: each starts a relay
// and a Chromium, and this machine has two cores. The cluster suite runs last; it skips loudly
// without haproxy, redis-server, PostgreSQL or Redis, and fails under SAHARA_REQUIRE_SERVICES=1
// (CI). `npm run test:cluster` runs it alone.
const clusterProject: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: "cluster",
    environment: "node",
    // Last, alone: three relay processes, HAProxy and a redis-server of its own would fight the
    // browser tests for two cores.
    sequence: { groupOrder: 2 },
    include: ["tests/cluster/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
};

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          sequence: { groupOrder: 0 },
          environment: "node",
          include: [
            "tests/unit/shared/**/*.test.ts",
            "tests/unit/server/**/*.test.ts",
            "tests/property/**/*.test.ts",
            "tests/integration/**/*.test.ts",
            "tests/adversarial/**/*.test.ts",
            "tests/architecture/**/*.test.ts",
            "tests/types/**/*.test.ts",
          ],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "dom",
          sequence: { groupOrder: 0 },
          environment: "happy-dom",
          include: ["tests/unit/widget/**/*.test.{ts,tsx}", "tests/unit/console/**/*.test.{ts,tsx}"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          environment: "node",
          // After the node and DOM projects: a busy machine (Argon2id, fuzzing, two cores) slowed
          // real-browser timing enough to flake, and these tests measure a person's experience.
          sequence: { groupOrder: 1 },
          include: ["tests/browser/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      clusterProject,
    ],
  },
});
