import type { CmfEmulator } from "../../provider/emulator";
import { EMULATED_CMF_VERSION } from "../../provider/emulator";
import { parseMemoryBytes } from "../../provider/emulator/system";
import { Api, application, apps, environment, startEmulator, V1 } from "./helpers";
import { catalog, catalogs, computePool, pools, secret, secrets } from "./sql-helpers";

let emu: CmfEmulator;
let api: Api;
beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(() => emu.controls.reset());

describe("informational endpoints", () => {
  test("system-information reports CMF 2.3.1", async () => {
    const res = await api.get(`${V1}/system-information`);
    expect(res.status).toBe(200);
    expect(EMULATED_CMF_VERSION).toBe("2.3.1");
    expect(res.json).toEqual({ status: { version: "2.3.1", revision: "pulumi-cmf-emulator" } });
    expect(res.headers.get("etag")).toBeTruthy();
  });

  test("c3/license: a valid licence with a fixed expiration", async () => {
    const res = await api.get(`${V1}/c3/license`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      kind: "C3LicenseInformation",
      status: { status: "VALID", licenseType: "ENTERPRISE", expiration: 4102444800000 },
    });
  });

  test("resource-information counts what the store holds, by state, and sums running resources", async () => {
    const empty = (await api.get(`${V1}/resource-information`)).json;
    expect(empty.status.resources).toMatchObject({
      environments: 0,
      applications: {},
      savepoints: 0,
      detachedSavepoints: 0,
      kubernetesClusters: { CONNECTED: 1 },
    });
    expect(empty.status.resourceSummary).toEqual({ cpu: 0, memory: 0 });

    await emu.controls.registerKubernetesCluster({ name: "spoke-1", connectivity: "DISCONNECTED" });
    await api.post(`${V1}/environments`, environment("prod"));
    const spec = { flinkConfiguration: { "state.savepoints.dir": "s3://b" } };
    await api.post(apps("prod"), application("orders", spec));
    await api.post(
      apps("prod"),
      application("payments", {
        ...spec,
        taskManager: { resource: { memory: "2g", cpu: 2 }, replicas: 2 },
      }),
    );
    await api.post(apps("prod"), application("idle"));
    await api.post(`${apps("prod")}/idle/suspend`);
    await api.post(`${apps("prod")}/orders/savepoints`);
    await api.post(`${apps("prod")}/orders/savepoints`);
    await api.post(
      `${apps("prod")}/orders/savepoints/${(await api.get(`${apps("prod")}/orders/savepoints`)).json.items[0].metadata.name}/detach`,
    );
    await emu.controls.failApplication("prod", "payments");

    const info = (await api.get(`${V1}/resource-information`)).json;
    expect(info.status.resources).toMatchObject({
      environments: 1,
      applications: { RUNNING: 1, SUSPENDED: 1, FAILED: 1 },
      savepoints: 1,
      detachedSavepoints: 1,
      kubernetesClusters: { CONNECTED: 1, DISCONNECTED: 1 },
    });
    /* Only "orders" holds resources: 1 cpu + 1024m (job manager) and 1 cpu + 1024m (task manager). */
    expect(info.status.resourceSummary).toEqual({ cpu: 2, memory: 2 * 1024 ** 3 });
  });

  test("resource-information counts secrets, catalogs and compute pools of the SQL families", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(`${V1}/environments`, environment("dev1"));
    await api.post(secrets, secret("kafka-creds", { "sasl.jaas.config": "x" }));
    await api.post(catalogs, catalog("kafka-cat"));
    await api.post(pools("prod"), computePool("pool"));
    await api.post(pools("dev1"), computePool("pool"));
    const resources = (await api.get(`${V1}/resource-information`)).json.status.resources;
    expect(resources).toMatchObject({ environments: 2, secrets: 1, catalogs: 1, computePools: 2 });
  });

  test("parseMemoryBytes reads Flink and Kubernetes sizes as binary units", () => {
    expect(parseMemoryBytes("1024m")).toBe(1024 ** 3);
    expect(parseMemoryBytes("2g")).toBe(2 * 1024 ** 3);
    expect(parseMemoryBytes("2Gi")).toBe(2 * 1024 ** 3);
    expect(parseMemoryBytes("1.5 GB")).toBe(1.5 * 1024 ** 3);
    expect(parseMemoryBytes("512")).toBe(512);
    expect(parseMemoryBytes("lots")).toBeUndefined();
    expect(parseMemoryBytes("5x")).toBeUndefined();
  });
});

describe("common conventions on the new families", () => {
  test("the bearer token guards them; controls stay open", async () => {
    const guarded = await startEmulator({ token: "s3cret" });
    try {
      for (const path of [
        `${V1}/system-information`,
        `${V1}/resource-information`,
        `${V1}/c3/license`,
        `${V1}/kubernetes-clusters`,
        `${V1}/detached-savepoints`,
        `${V1}/environments/prod/applications/orders/savepoints`,
      ]) {
        expect([path, (await guarded.api.get(path)).status]).toEqual([path, 401]);
        const ok = await guarded.api.get(path, { headers: { authorization: "Bearer s3cret" } });
        expect([path, ok.status]).toEqual([path, path.includes("/environments/") ? 404 : 200]);
      }
    } finally {
      await guarded.emu.close();
    }
  });

  test("fault injection applies to them (pathPrefix, methods, count)", async () => {
    emu.controls.setFaults({
      errorRate: 1,
      statuses: [503],
      pathPrefix: `${V1}/kubernetes-clusters`,
      count: 1,
    });
    expect((await api.get(`${V1}/kubernetes-clusters`)).status).toBe(503);
    expect((await api.get(`${V1}/kubernetes-clusters`)).status).toBe(200);
    expect((await api.get(`${V1}/system-information`)).status).toBe(200);
    emu.controls.clearFaults();
  });
});
