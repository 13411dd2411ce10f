import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, environment, startEmulator, V1 } from "./helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());

describe("concurrency", () => {
  test("300 parallel upserts of different applications: none lost", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        api.post(apps("prod"), application(`app-${String(i).padStart(3, "0")}`)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(300).fill(201));
    const list = await api.get(`${apps("prod")}?size=2000`);
    expect(list.json.metadata.size).toBe(300);
    expect(new Set(list.json.items.map((a: { metadata: { uid: string } }) => a.metadata.uid)).size).toBe(300);
  });

  test("90 parallel updates of one application: every change becomes an instance, one uid", async () => {
    await api.post(`${V1}/environments`, environment("hotspot"));
    const created = await api.post(apps("hotspot"), application("same"));
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        api.post(apps("hotspot"), application("same", { image: `img:${i}` })),
      ),
    );
    expect(results.every((r) => r.status === 201 && r.json.metadata.uid === created.json.metadata.uid)).toBe(
      true,
    );
    const instances = await api.get(`${apps("hotspot")}/same/instances?size=2000`);
    expect(instances.json.metadata.size).toBe(91);
    const images = new Set(
      instances.json.items.map((i: { status: { spec: { image: string } } }) => i.status.spec.image),
    );
    expect(images.size).toBe(91);
    const app = await api.get(`${apps("hotspot")}/same`);
    expect(app.json.status.observedGeneration).toBe(91);
  });

  test("parallel upserts of the same and different environments", async () => {
    const results = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => api.post(`${V1}/environments`, environment(`env-${i}`))),
      ...Array.from({ length: 100 }, (_, i) =>
        api.post(
          `${V1}/environments`,
          environment("shared", { metadata: { name: "shared", labels: { n: String(i) } } }),
        ),
      ),
    ]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const list = await api.get(`${V1}/environments?filter=${encodeURIComponent("name=env-*")}&size=2000`);
    expect(list.json.metadata.size).toBe(100);
    const shared = await api.get(`${V1}/environments/shared`);
    expect(Number(shared.json.metadata.labels.n)).toBeGreaterThanOrEqual(0);
    expect(emu.controls.stats().byStatus["500"]).toBeUndefined();
  });
});
