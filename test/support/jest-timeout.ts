/**
 * Each Jest project's default test timeout (jest.config.js `globals.TEST_TIMEOUT_MS`), sized to catch a
 * hang on a heavily loaded machine rather than to judge speed. A file's own jest.setTimeout still wins.
 */
const timeout = (globalThis as { TEST_TIMEOUT_MS?: unknown }).TEST_TIMEOUT_MS;
if (typeof timeout === "number") jest.setTimeout(timeout);
