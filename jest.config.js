/**
 * Three Jest projects, chosen by path so that new test files land in a project without editing this
 * file (test/jest-projects.test.ts checks that every test file belongs to exactly one):
 *
 * - engine: runs the real Pulumi CLI, its dynamic-provider host or the packed package in child processes
 *   (`npm run test:engine`);
 * - emulator-contract: the emulator, the client and the README's commands over real HTTP
 *   (`npm run test:contract`);
 * - unit: everything else, pure logic in-process, seconds (`npm run test:unit`).
 *
 * `npm test` runs all three. Timeouts are sized for a heavily loaded 2-core machine: they catch hangs,
 * not slowness (speed belongs to `npm run bench`).
 */
const ENGINE = [
  "**/test/e2e/**/*.test.ts",
  "**/test/bench/**/*.test.ts",
  "**/test/examples/{multi-env,flink-sql}*.test.ts",
  "**/test/resources/engine-*.test.ts",
  "**/test/resources/grpc-*.test.ts",
  // Packs the package and runs programs from it in child processes: seconds to tens of seconds.
  "**/test/sdk/serialization.test.ts",
  "**/test/sdk/user-project-types.test.ts",
  // The cmf plugin as a process: over gRPC, from YAML with the real CLI, from Python and Go programs.
  "**/test/plugin/{grpc-lifecycle,languages,process,status,yaml}.test.ts",
];
const CONTRACT = [
  "**/test/emulator/**/*.test.ts",
  "**/test/client/**/*.test.ts",
  "**/test/readme.test.ts",
  // The lookups (`getCmfEnvironment`, ...) against in-process emulators over HTTP.
  "**/test/sdk/lookups.test.ts",
];

const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // Examples import the package by its public name, as users do; in tests that name means the sources.
  moduleNameMapper: {
    "^pulumi-cmf$": "<rootDir>/sdk/index.ts",
    "^pulumi-cmf/client$": "<rootDir>/provider/client/index.ts",
    "^pulumi-cmf/emulator$": "<rootDir>/provider/emulator/index.ts",
  },
  // Applies each project's TEST_TIMEOUT_MS (testTimeout is a global option, not a per-project one).
  setupFilesAfterEnv: ["<rootDir>/test/support/jest-timeout.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  // Marks every process the run starts; the teardown fails the run if any of them outlived the tests.
  globalSetup: "<rootDir>/test/support/process-leaks.ts",
  globalTeardown: "<rootDir>/test/support/process-leaks-teardown.ts",
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["**/test/**/*.test.ts", ...[...ENGINE, ...CONTRACT].map((glob) => `!${glob}`)],
      globals: { TEST_TIMEOUT_MS: 60_000 },
    },
    {
      ...common,
      displayName: "emulator-contract",
      testMatch: CONTRACT,
      globals: { TEST_TIMEOUT_MS: 3 * 60_000 },
    },
    { ...common, displayName: "engine", testMatch: ENGINE, globals: { TEST_TIMEOUT_MS: 10 * 60_000 } },
  ],
};
