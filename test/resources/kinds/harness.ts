/**
 * A provider runtime against an in-process emulator over HTTP, for the operations tests of the CMF SQL
 * kinds (secrets, mappings, catalogs, pools, statements); every harness is closed by `closeHarnesses`.
 */
import { CmfClient } from "../../../provider/client";
import { CmfEmulator, type CmfEmulatorOptions } from "../../../provider/emulator";
import { ProviderRuntime } from "../../../provider/resources/runtime";

const TOKEN = "sql-kinds-token";
const POLL = { initialIntervalMs: 10, maxIntervalMs: 40 };

export interface Harness {
  emulator: CmfEmulator;
  runtime: ProviderRuntime;
  direct: CmfClient;
  connection: { url: string; token: string };
}

const open: Harness[] = [];

export async function harness(options: CmfEmulatorOptions = {}): Promise<Harness> {
  const emulator = await CmfEmulator.start({ token: TOKEN, ...options });
  const connection = { url: emulator.url, token: TOKEN };
  const h = {
    emulator,
    runtime: new ProviderRuntime({ env: {}, poll: POLL }),
    direct: new CmfClient(connection),
    connection,
  };
  open.push(h);
  return h;
}

export async function closeHarnesses(): Promise<void> {
  for (const h of open.splice(0)) {
    await h.runtime.close();
    await h.direct.close();
    await h.emulator.close();
  }
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
