import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfEmulator, EmulatorDataFileError } from "../../provider/emulator";
import { Api, application, apps, environment, events, startEmulator, V1 } from "./helpers";

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-persist-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function snapshotAll(api: Api): Promise<unknown[]> {
  return Promise.all([
    api.get(`${V1}/environments`).then((r) => r.json),
    api.get(`${V1}/environments/prod`).then((r) => r.json),
    api.get(`${apps("prod")}?size=100`).then((r) => r.json),
    api.get(`${apps("prod")}/orders/instances`).then((r) => r.json),
    api.get(`${events("prod", "orders")}?size=100`).then((r) => r.json),
  ]);
}

describe("persistence", () => {
  test("round trip: everything (uids, timestamps, status, instances, events) survives a restart", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startEmulator({ dataFile });
    await first.api.post(
      `${V1}/environments`,
      environment("prod", { metadata: { name: "prod", labels: { a: "b" } } }),
    );
    await first.api.post(apps("prod"), application("orders"));
    await first.api.post(apps("prod"), application("orders", { image: "img:2" }));
    await first.api.post(apps("prod"), application("payments"));
    await first.emu.controls.failApplication("prod", "payments", "boom");
    const before = await snapshotAll(first.api);
    await first.emu.close();

    const second = await startEmulator({ dataFile });
    try {
      expect(await snapshotAll(second.api)).toEqual(before);
    } finally {
      await second.emu.close();
    }
  });

  test("each acknowledged mutation is already on disk, written atomically (no temp files left)", async () => {
    const dataFile = path.join(dir, "state.json");
    const { emu, api } = await startEmulator({ dataFile });
    try {
      await api.post(`${V1}/environments`, environment("prod"));
      let onDisk = JSON.parse(await fs.readFile(dataFile, "utf8"));
      expect(onDisk.environments.map((e: { name: string }) => e.name)).toEqual(["prod"]);
      await api.post(apps("prod"), application("orders"));
      onDisk = JSON.parse(await fs.readFile(dataFile, "utf8"));
      expect(onDisk.environments[0].applications[0].name).toBe("orders");
      await api.delete(`${apps("prod")}/orders`);
      onDisk = JSON.parse(await fs.readFile(dataFile, "utf8"));
      expect(onDisk.environments[0].applications).toEqual([]);
      /* The data file and, while the emulator runs, its lock: no temp file. */
      expect((await fs.readdir(dir)).sort()).toEqual(["state.json", "state.json.lock"]);
      expect(emu.controls.stats().persistedWrites).toBeGreaterThanOrEqual(3);
    } finally {
      await emu.close();
    }
  });

  test("reset is persisted too", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startEmulator({ dataFile });
    await first.api.post(`${V1}/environments`, environment("prod"));
    await first.api.post("/_emulator/reset");
    await first.emu.close();
    const second = await startEmulator({ dataFile });
    expect((await second.api.get(`${V1}/environments`)).json.metadata.size).toBe(0);
    await second.emu.close();
  });

  test("lifecycle progress made by reads is saved too", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startEmulator({ dataFile, lifecycle: "stepped" });
    await first.api.post(`${V1}/environments`, environment("prod"));
    await first.api.post(apps("prod"), application("orders"));
    for (let i = 0; i < 3; i++) await first.api.get(`${apps("prod")}/orders`);
    await first.emu.close();
    const second = await startEmulator({ dataFile, lifecycle: "manual" });
    expect((await second.api.get(`${apps("prod")}/orders`)).json.status.lifecycleState).toBe("STABLE");
    await second.emu.close();
  });

  test("a missing or empty file starts empty", async () => {
    const empty = path.join(dir, "empty.json");
    await fs.writeFile(empty, "");
    for (const dataFile of [empty, path.join(dir, "absent.json")]) {
      const { emu, api } = await startEmulator({ dataFile });
      expect((await api.get(`${V1}/environments`)).json.metadata.size).toBe(0);
      await emu.close();
    }
  });

  test.each([
    ["not JSON", '{"format": "pulumi-cmf-emulator", ', /is corrupt: not valid JSON/],
    ["JSON of another shape", '{"environments": 3}', /is corrupt: not a CMF emulator data file \(format: /],
    [
      "a truncated snapshot",
      '{"format":"pulumi-cmf-emulator","version":1,"environments":[{"name":"x"}]}',
      /environments\[0\]\.kubernetesNamespace/,
    ],
  ])(
    "a corrupt file (%s) stops the start with an error naming it, and is left untouched",
    async (_t, content, reason) => {
      const dataFile = path.join(dir, "state.json");
      await fs.writeFile(dataFile, content);
      const started = CmfEmulator.start({ port: 0, dataFile });
      await expect(started).rejects.toBeInstanceOf(EmulatorDataFileError);
      await expect(CmfEmulator.start({ port: 0, dataFile })).rejects.toThrow(
        new RegExp(`data file ${dataFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} .*`),
      );
      await expect(CmfEmulator.start({ port: 0, dataFile })).rejects.toThrow(reason);
      expect(await fs.readFile(dataFile, "utf8")).toBe(content);
    },
  );

  test("a data file in a missing directory is refused at start", async () => {
    const dataFile = path.join(dir, "no", "such", "dir", "state.json");
    await expect(CmfEmulator.start({ port: 0, dataFile })).rejects.toThrow(/directory .* does not exist/);
  });

  test("a failed data-file write is a 500 naming the problem, not a silent success", async () => {
    const sub = path.join(dir, "sub");
    await fs.mkdir(sub);
    const { emu, api } = await startEmulator({ dataFile: path.join(sub, "state.json") });
    try {
      await fs.rm(sub, { recursive: true });
      const res = await api.post(`${V1}/environments`, environment("prod"));
      expect(res.status).toBe(500);
      expect(res.json.errors[0].message).toBe(
        "Failed to persist the emulator state (ENOENT); the change was not applied",
      );
      expect(emu.controls.stats().writes).toBe(0);
      expect((await api.get(`${V1}/environments/prod`)).status).toBe(404);
    } finally {
      await emu.close();
    }
  });

  test("hundreds of parallel upserts are all persisted", async () => {
    const dataFile = path.join(dir, "state.json");
    const first = await startEmulator({ dataFile });
    await first.api.post(`${V1}/environments`, environment("prod"));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => first.api.post(apps("prod"), application(`app-${i}`))),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    await first.emu.close();
    const second = await startEmulator({ dataFile });
    expect((await second.api.get(apps("prod"))).json.metadata.size).toBe(200);
    await second.emu.close();
  });
});
