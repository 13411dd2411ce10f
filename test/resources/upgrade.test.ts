/**
 * Existing stacks keep working: the inputs and outputs pulumi-cmf 721f2c5 stored in Pulumi state (and
 * the CMF objects it created, in an emulator data file), recorded by running that version, go through
 * today's check, diff, read, update and delete.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { ProviderRuntime } from "../../provider/resources/runtime";

const FIXTURES = path.join(__dirname, "fixtures");

interface Recorded {
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

let emulator: CmfEmulator;
let runtime: ProviderRuntime;
let direct: CmfClient;
let env: Recorded;
let app: Recorded;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cmf-upgrade-"));
  const dataFile = path.join(dir, "state.json");
  fs.copyFileSync(path.join(FIXTURES, "state-721f2c5.emulator.json"), dataFile);
  emulator = await CmfEmulator.start({ dataFile, lifecycle: "instant", host: "127.0.0.1", port: 0 });
  const text = fs.readFileSync(path.join(FIXTURES, "state-721f2c5.json"), "utf8").split("EMULATOR_URL");
  const recorded = JSON.parse(text.join(emulator.url)) as { environment: Recorded; application: Recorded };
  env = recorded.environment;
  app = recorded.application;
  runtime = new ProviderRuntime({ env: {}, poll: { initialIntervalMs: 10, maxIntervalMs: 20 } });
  direct = new CmfClient({ url: emulator.url });
});

afterAll(async () => {
  await runtime.close();
  await direct.close();
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a state written by pulumi-cmf 721f2c5", () => {
  it("checks and diffs without changes", async () => {
    for (const [kind, recorded] of [
      ["Environment", env],
      ["Application", app],
    ] as const) {
      const checked = await runtime.check(kind, recorded.outputs, recorded.inputs);
      expect(checked.failures ?? []).toEqual([]);
      expect(checked.inputs).toEqual(recorded.inputs);
      const diff = await runtime.diff(kind, recorded.id, recorded.outputs, checked.inputs);
      expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    }
  });

  it("refreshes to the same outputs", async () => {
    const read = await runtime.read("Environment", env.id, env.outputs);
    expect(read.props).toEqual(env.outputs);
    const readApp = await runtime.read("Application", app.id, app.outputs);
    expect({ ...readApp.props, status: undefined }).toEqual({ ...app.outputs, status: undefined });
  });

  it("updates and deletes the objects it recorded", async () => {
    const news = { ...app.inputs, labels: { team: "data", tier: "gold" } };
    const updated = await runtime.update("Application", app.id, app.outputs, news);
    expect(updated.outs?.labels).toEqual({ team: "data", tier: "gold" });
    const server = await direct.applications.get("legacy-env", "legacy-app");
    expect(server?.metadata.annotations?.["pulumi-cmf/owner"]).toBe("proj/dev/legacy-app");
    await runtime.delete("Application", app.id, updated.outs);
    await runtime.delete("Environment", env.id, env.outputs);
    expect(await direct.environments.get("legacy-env")).toBeUndefined();
  });
});
