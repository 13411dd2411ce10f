import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HUB_CLUSTER_NAME } from "../../provider/emulator";
import { Api, application, apps, environment, startEmulator, V1 } from "./helpers";
import { computePool, statement } from "./sql-helpers";

/* Savepoints, detached savepoints and Kubernetes clusters survive a restart; older data files load. */

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cmf-emu-rest-persist-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const withDir = (name: string) =>
  application(name, { flinkConfiguration: { "state.savepoints.dir": "s3://b/sp" } });

async function snapshot(api: Api): Promise<unknown[]> {
  return Promise.all(
    [
      `${apps("prod")}/orders/savepoints`,
      `${V1}/detached-savepoints`,
      `${V1}/kubernetes-clusters`,
      `${V1}/resource-information`,
    ].map((p) => api.get(p).then((r) => r.json)),
  );
}

test("round trip: savepoints (with pending steps), detached savepoints and clusters", async () => {
  const dataFile = path.join(dir, "state.json");
  const first = await startEmulator({ dataFile, lifecycle: "manual" });
  await first.emu.controls.registerKubernetesCluster({ name: "spoke-1", labels: { region: "eu" } });
  await first.api.request("PUT", `${V1}/kubernetes-clusters/${HUB_CLUSTER_NAME}`, {
    body: { metadata: { annotations: { owner: "platform" } } },
  });
  await first.api.post(`${V1}/environments`, environment("prod", { kubernetesClusterName: "spoke-1" }));
  await first.api.post(apps("prod"), withDir("orders"));
  await first.emu.controls.advanceClock({ steps: 10 });
  await first.api.post(`${apps("prod")}/orders/savepoints`, { metadata: { name: "done-sp" } });
  await first.emu.controls.advanceClock({ steps: 2 });
  await first.api.post(`${apps("prod")}/orders/savepoints`, { metadata: { name: "half-sp" } });
  await first.api.post(`${apps("prod")}/orders/savepoints/done-sp/detach`);
  const before = await snapshot(first.api);
  await first.emu.close();

  const second = await startEmulator({ dataFile, lifecycle: "manual" });
  try {
    expect(await snapshot(second.api)).toEqual(before);
    /* The pending steps were saved too: the half-done savepoint completes after the restart. */
    await second.emu.controls.advanceClock({ steps: 2 });
    const half = await second.api.get(`${apps("prod")}/orders/savepoints/half-sp`);
    expect(half.json.status.state).toBe("COMPLETED");
  } finally {
    await second.emu.close();
  }
});

test("a data file written before savepoints and clusters existed still loads (hub cluster only)", async () => {
  const dataFile = path.join(dir, "old.json");
  const old = {
    format: "pulumi-cmf-emulator",
    version: 1,
    clockOffsetMs: 0,
    environments: [
      {
        name: "legacy",
        kubernetesNamespace: "ns",
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
        applications: [],
      },
    ],
  };
  await fs.writeFile(dataFile, JSON.stringify(old));
  const { emu, api } = await startEmulator({ dataFile });
  try {
    expect((await api.get(`${V1}/environments/legacy`)).status).toBe(200);
    const clusters = (await api.get(`${V1}/kubernetes-clusters`)).json;
    expect(clusters.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual([
      HUB_CLUSTER_NAME,
    ]);
    expect((await api.get(`${V1}/detached-savepoints`)).json.items).toEqual([]);
  } finally {
    await emu.close();
  }
});

test("statement savepoints survive a restart, inside the statement's record", async () => {
  const dataFile = path.join(dir, "sql.json");
  const first = await startEmulator({ dataFile });
  await first.api.post(`${V1}/environments`, environment("prod"));
  await first.api.post(`${V1}/environments/prod/compute-pools`, computePool("pool"));
  await first.api.post(
    `${V1}/environments/prod/statements`,
    statement("ddl-orders", "CREATE TABLE orders (id BIGINT) WITH ('connector' = 'kafka')"),
  );
  await first.api.post(
    `${V1}/environments/prod/statements`,
    statement("read-orders", "SELECT * FROM orders"),
  );
  const sp = `${V1}/environments/prod/statements/read-orders/savepoints`;
  await first.api.post(sp, { metadata: { name: "kept-sp" }, spec: { path: "s3://x" } });
  const before = (await first.api.get(sp)).json;
  expect(before.metadata.size).toBe(1);
  await first.emu.close();

  const second = await startEmulator({ dataFile });
  try {
    expect((await second.api.get(sp)).json).toEqual(before);
  } finally {
    await second.emu.close();
  }
});
