#!/usr/bin/env node
import "../node-guard"; // first: fails at once, and clearly, on an unsupported Node.js
import { CliUsageError, parseCliArgs, USAGE } from "./cli-args";
import { EmulatorDataFileError, EmulatorOptionsError } from "./errors";
import { CmfEmulator } from "./server";

async function main(): Promise<number> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`cmf-emulator: ${err.message}\nRun 'cmf-emulator --help' for usage.\n`);
      return 2;
    }
    throw err;
  }
  if (command.kind === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let emulator: CmfEmulator;
  try {
    emulator = await CmfEmulator.start(command.options);
  } catch (err) {
    if (err instanceof EmulatorOptionsError) {
      process.stderr.write(`cmf-emulator: ${err.messages.join("; ")}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    const reason =
      err instanceof EmulatorDataFileError
        ? err.message
        : e.code === "EADDRINUSE"
          ? `cannot listen on ${command.options.host}:${command.options.port}: address already in use`
          : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND"
            ? `cannot listen on ${command.options.host}: address not available`
            : `cannot start: ${e.message}`;
    process.stderr.write(`cmf-emulator: ${reason}\n`);
    return 1;
  }
  // Before the line: whoever waits for it may send SIGTERM at once, and without a handler that
  // signal ends the process before the data file's lock is released.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write(`CMF emulator listening on ${emulator.url}\n`);
  await stopped;
  /* Closing ends hanging connections and waits for the data-file write in flight; should anything
     still hold it up, the process ends anyway: every acknowledged change is already on disk. */
  const forced = new Promise<number>((resolve) => {
    setTimeout(() => {
      process.stderr.write(`cmf-emulator: did not close within ${STOP_DEADLINE_MS} ms; exiting\n`);
      resolve(1);
    }, STOP_DEADLINE_MS).unref();
  });
  return Promise.race([emulator.close().then(() => 0), forced]);
}

/** SIGTERM/SIGINT end the process within this time, whatever it is doing. */
const STOP_DEADLINE_MS = 4000;

main().then(
  (code) => {
    process.exitCode = code;
    /* After a forced stop, handles may remain: do not wait for them. */
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`cmf-emulator: ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
