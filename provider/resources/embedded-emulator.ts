/**
 * The embedded emulator mode (`cmf:emulator` / CMF_EMULATOR = a data file path): the provider process
 * serves its own requests from an in-process CmfEmulator persisted in that file, so that preview, up,
 * refresh and destroy run with no CMF at all and keep their state across runs.
 *
 * The emulator is started lazily, once per data file and process, on 127.0.0.1 with an ephemeral port,
 * in the "instant" lifecycle: nobody sees the intermediate phases of an embedded run, and waiting through
 * them would only slow every `up` (the waiting logic is tested against stepped and manual lifecycles of
 * a standalone emulator). Every mutation is on disk before the
 * emulator acknowledges it, so the engine may end the provider process at any time without losing
 * state; nothing needs closing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CmfEmulator, CmfEmulatorOptions } from "../emulator";

const started = new Map<string, Promise<CmfEmulator>>();

export type EmulatorStarter = (dataFile: string) => Promise<CmfEmulator>;

/**
 * One writer per data file: while another process (another stack's `pulumi up`) holds the file, wait
 * this long for it to finish, then fail naming that process rather than lose either side's writes.
 */
export const EMBEDDED_LOCK_WAIT_MS = 60_000;

function startEmbedded(options: CmfEmulatorOptions): Promise<CmfEmulator> {
  // Loaded on demand: a provider talking to a real CMF never loads the emulator.
  const { CmfEmulator: Emulator } = require("../emulator") as typeof import("../emulator");
  return Emulator.start({ lifecycle: "instant", host: "127.0.0.1", port: 0, ...options });
}

/**
 * Beside the data file, like its lock: the analyses of the statements' SQL
 * (CmfEmulatorOptions.sqlAnalysisCache), kept because every `up` starts a fresh process that would
 * otherwise load the grammar again. They derive from SQL the data file holds in the clear, so they stay
 * with it rather than in a folder that outlives the project.
 */
const sqlAnalysisCacheOf = (dataFile: string): string => `${dataFile}.sql-analysis`;

const startEmulator: EmulatorStarter = (dataFile) =>
  startEmbedded({
    dataFile,
    lockWaitMs: EMBEDDED_LOCK_WAIT_MS,
    sqlAnalysisCache: sqlAnalysisCacheOf(dataFile),
  });

/**
 * The embedded emulator for `dataFile` (relative paths are relative to the project). The provider's
 * client hands it its requests in process (`CmfEmulator.dispatch`); it still listens on its port.
 */
export function embeddedEmulator(
  dataFile: string,
  start: EmulatorStarter = startEmulator,
): Promise<CmfEmulator> {
  const key = path.resolve(dataFile);
  let emulator = started.get(key);
  if (!emulator) {
    emulator = start(key);
    started.set(key, emulator);
    emulator.catch(() => started.delete(key));
  }
  return emulator;
}

/** Whether this process runs an embedded emulator (its code is then part of what the process compiled). */
export function embeddedEmulatorStarted(): boolean {
  return started.size > 0;
}

/** Stops every embedded emulator of this process (tests; the provider process simply exits). */
export async function closeEmbeddedEmulators(): Promise<void> {
  const all = [...started.values()];
  started.clear();
  await Promise.all(all.map(async (emulator) => (await emulator.catch(() => undefined))?.close()));
}

/** An emulator serving a copy of a data file, for reads only; `close` ends it and deletes the copy. */
export interface EmulatorSnapshot {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Reads of the embedded emulator's state from outside the provider process (the lookups, which run in
 * the program): an emulator over a copy of the data file. The provider process holds the file's lock
 * for its whole life, so opening the file itself would wait for the end of the `up` the program is
 * part of; a copy needs no lock and is exact, since every acknowledged change is already on disk and
 * replaces the file in one rename. Nothing it serves can reach the original file.
 */
export async function emulatorSnapshot(dataFile: string): Promise<EmulatorSnapshot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-snapshot-"));
  const copy = path.join(dir, path.basename(dataFile));
  try {
    fs.copyFileSync(path.resolve(dataFile), copy);
  } catch (error) {
    // No file yet: the emulator has never stored anything, and an empty one says exactly that.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  let emulator: CmfEmulator;
  try {
    emulator = await startEmbedded({ dataFile: copy });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: emulator.url,
    close: async () => {
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
