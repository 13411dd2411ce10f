/**
 * Loaded first by every entry point (the SDK, the provider runtime, the client, the emulator and its
 * CLI). undici 8 needs Node.js 22.19 (it calls `zlib.createZstdDecompress`, which older Node lacks) and
 * @pulumi/pulumi needs 22; on an older Node the first request would otherwise fail deep inside undici
 * with "Cannot read properties of undefined (reading 'bind')", which explains nothing.
 */
export const MINIMUM_NODE = [22, 19] as const;

/** Whether a `process.versions.node` string is a Node.js pulumi-cmf runs on. Pure, for tests. */
export function nodeVersionSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  return major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
}

export function unsupportedNodeMessage(version: string): string {
  return `pulumi-cmf needs Node.js >= ${MINIMUM_NODE.join(".")} (found v${version})`;
}

if (!nodeVersionSupported(process.versions.node)) {
  const message = unsupportedNodeMessage(process.versions.node);
  // Our own command line (cmf-emulator) says it the way a command does; a library throws, so that a
  // Pulumi program or a script importing pulumi-cmf stops with this as its error.
  if (require.main?.filename.endsWith("/emulator/cli.js")) {
    process.stderr.write(`cmf-emulator: ${message}\n`);
    process.exit(1);
  }
  throw new Error(message);
}
