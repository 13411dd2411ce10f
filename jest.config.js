/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // Examples import the package by its public name, as users do; in tests that name means the sources.
  moduleNameMapper: {
    "^pulumi-cmf$": "<rootDir>/sdk/index.ts",
    "^pulumi-cmf/client$": "<rootDir>/provider/client/index.ts",
    "^pulumi-cmf/emulator$": "<rootDir>/provider/emulator/index.ts",
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
