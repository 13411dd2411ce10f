/**
 * A `--require` preload for a process under test that announces readiness on stdout (a port, a
 * "listening" line): as the process writes that line, it reports on stderr how many SIGTERM listeners
 * it has. Whoever reads the line may signal at once, so a process that installs its handlers after the
 * write shows 0 there.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const SIGTERM_LISTENERS = /SIGTERM listeners: (\d+)/;

/** Writes the preload into `dir`; `readyLine` matches the readiness line. Returns NODE_OPTIONS for it. */
export function signalProbe(dir: string, readyLine: RegExp): string {
  const preload = path.join(dir, "signal-probe.js");
  fs.writeFileSync(
    preload,
    `const ready = new RegExp(${JSON.stringify(readyLine.source)});
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (ready.test(String(chunk))) process.stderr.write("SIGTERM listeners: " + process.listenerCount("SIGTERM") + "\\n");
  return write(chunk, ...rest);
};`,
  );
  return `--require ${preload}`;
}
