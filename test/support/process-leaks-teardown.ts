/**
 * Jest global teardown: no process started by the run may survive it. Processes still shutting down get a
 * few seconds; whatever is left is ended and fails the run, named, so that the leak gets fixed.
 */
import * as fs from "node:fs";
import { endProcesses, processesWithEnv, RUN_MARKER, RUN_TMPDIR } from "./process-leaks";

const GRACE_MS = 10_000;

function isJestWorker(command: string): boolean {
  return /jest-worker|processChild\.js/.test(command);
}

export default async function globalTeardown(): Promise<void> {
  const marker = process.env[RUN_MARKER];
  if (!marker) return;
  const leftovers = () => processesWithEnv(RUN_MARKER, marker).filter((p) => !isJestWorker(p.command));
  const deadline = Date.now() + GRACE_MS;
  while (leftovers().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const leaked = leftovers();
  if (leaked.length > 0) await endProcesses(leaked);
  // After the processes: none of them may still be writing there.
  const tmp = process.env[RUN_TMPDIR];
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  if (leaked.length === 0) return;
  throw new Error(
    `${leaked.length} process(es) started by the tests outlived them (now ended):\n` +
      leaked.map((p) => `  ${p.pid} ${p.command.slice(0, 200)}`).join("\n"),
  );
}
