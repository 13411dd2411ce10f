import { CmfApiError, CmfArgumentError, CmfClient, type PostFlinkApplication } from "../../provider/client";
import { CmfEmulator, HUB_CLUSTER_NAME } from "../../provider/emulator";

/* The savepoint, detached-savepoint, Kubernetes-cluster and informational APIs against the emulator. */

const ENV = "prod-env";
const APP = { environment: ENV, application: "orders" } as const;
let emulator: CmfEmulator;
let client: CmfClient;

const application: PostFlinkApplication = {
  apiVersion: "cmf.confluent.io/v1",
  kind: "FlinkApplication",
  metadata: { name: "orders" },
  spec: {
    image: "confluentinc/cp-flink:1.19.3-cp2",
    flinkVersion: "v1_19",
    flinkConfiguration: { "state.savepoints.dir": "s3://bucket/savepoints" },
    jobManager: { resource: { cpu: 1, memory: "1024m" } },
    taskManager: { resource: { cpu: 1, memory: "1024m" } },
    job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running" },
  },
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

beforeAll(async () => {
  emulator = await CmfEmulator.start({ lifecycle: "instant" });
  client = new CmfClient({ url: emulator.url, retry: { maxAttempts: 3, baseDelayMs: 1 } });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(async () => {
  await emulator.controls.reset();
  await client.environments.upsert({ name: ENV, kubernetesNamespace: "flink" });
  await client.applications.upsert(ENV, application);
});

describe("client.savepoints", () => {
  test("create (no body and named), get, list, listAll (lazy paging), delete with and without force", async () => {
    const generated = await client.savepoints.create(APP);
    expect(generated.metadata.name).toMatch(/^orders-savepoint-/);
    expect(generated.status?.state).toBe("COMPLETED");
    const named = await client.savepoints.create(APP, { metadata: { name: "before-upgrade" } });
    expect(await client.savepoints.get(APP, "before-upgrade")).toEqual(named);
    expect(await client.savepoints.get(APP, "missing")).toBeUndefined();

    for (let i = 0; i < 3; i++) await client.savepoints.create(APP);
    const page = await client.savepoints.list(APP, { size: 2, sort: "name" });
    expect(page.items).toHaveLength(2);
    expect(page.metadata?.size).toBe(5);
    const before = emulator.controls.stats().total;
    expect(await collect(client.savepoints.listAll(APP, { size: 2 }))).toHaveLength(5);
    expect(emulator.controls.stats().total - before).toBe(3);

    await client.savepoints.delete(APP, "before-upgrade");
    expect((await client.savepoints.get(APP, "before-upgrade"))?.status?.pendingDeletion).toBe(true);
    await client.savepoints.delete(APP, "before-upgrade", { force: true });
    expect(await client.savepoints.get(APP, "before-upgrade")).toBeUndefined();
    await client.savepoints.delete(APP, "before-upgrade", { force: true, ignoreNotFound: true });
    const err = await rejection(client.savepoints.delete(APP, "before-upgrade"));
    expect(err).toBeInstanceOf(CmfApiError);
    expect((err as CmfApiError).status).toBe(404);
  });

  test("errors are typed: 409 on a taken name, 400 with the field, 404 for an unknown application", async () => {
    await client.savepoints.create(APP, { metadata: { name: "taken" } });
    const conflict = (await rejection(
      client.savepoints.create(APP, { metadata: { name: "taken" } }),
    )) as CmfApiError;
    expect(conflict.status).toBe(409);
    const bad = (await rejection(
      client.savepoints.create(APP, { spec: { formatType: "ZIP" as "NATIVE" } }),
    )) as CmfApiError;
    expect(bad.status).toBe(400);
    expect(bad.messages[0]).toMatch(/^spec\.formatType: must be one of/);
    const missing = (await rejection(
      client.savepoints.list({ environment: ENV, application: "nope" }),
    )) as CmfApiError;
    expect(missing.status).toBe(404);
    await expect(client.savepoints.create(APP, [] as never)).rejects.toBeInstanceOf(CmfArgumentError);
    await expect(client.savepoints.list({ environment: ENV } as never)).rejects.toBeInstanceOf(
      CmfArgumentError,
    );
  });

  test("create is not retried once it reached CMF (503); GET and DELETE are", async () => {
    emulator.controls.setFaults({ errorRate: 1, statuses: [503], count: 1, methods: ["POST"] });
    const err = (await rejection(
      client.savepoints.create(APP, { metadata: { name: "once-only" } }),
    )) as CmfApiError;
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(1);
    expect(await client.savepoints.get(APP, "once-only")).toBeUndefined();

    await client.savepoints.create(APP, { metadata: { name: "retried" } });
    emulator.controls.setFaults({ errorRate: 1, statuses: [503], count: 1, methods: ["GET"] });
    expect((await client.savepoints.get(APP, "retried"))?.metadata.name).toBe("retried");
    emulator.controls.setFaults({ errorRate: 1, statuses: [503], count: 1, methods: ["DELETE"] });
    await client.savepoints.delete(APP, "retried");
    emulator.controls.clearFaults();
  });

  test("detach moves it to detachedSavepoints; start restores from its uid", async () => {
    const sp = await client.savepoints.create(APP, { metadata: { name: "keep-me" } });
    const detached = await client.savepoints.detach(APP, "keep-me");
    expect(detached.metadata.uid).toBe(sp.metadata.uid);
    expect(await client.savepoints.get(APP, "keep-me")).toBeUndefined();
    expect((await client.detachedSavepoints.get("keep-me"))?.status?.path).toBe(sp.status?.path);
    const started = await client.applications.start(ENV, "orders", {
      startFromSavepointUid: sp.metadata.uid as string,
    });
    expect(started.status?.jobStatus?.state).toBe("RUNNING");
  });

  test("statement parents: create, get, list and delete under the statement; 404 for an unknown one", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${emulator.url}/cmf/api/v1/environments/${ENV}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const resource = (kind: string, name: string, spec: unknown) => ({
      apiVersion: "cmf.confluent.io/v1",
      kind,
      metadata: { name },
      spec,
    });
    await post(
      "/compute-pools",
      resource("ComputePool", "pool", {
        type: "DEDICATED",
        clusterSpec: { jobManager: { resource: { cpu: 1, memory: "1024m" } } },
      }),
    );
    const ddl = "CREATE TABLE orders (id BIGINT) WITH ('connector' = 'kafka')";
    await post(
      "/statements",
      resource("Statement", "ddl-orders", { statement: ddl, computePoolName: "pool" }),
    );
    await post(
      "/statements",
      resource("Statement", "read-orders", { statement: "SELECT * FROM orders", computePoolName: "pool" }),
    );
    const STMT = { environment: ENV, statement: "read-orders" } as const;
    const sp = await client.savepoints.create(STMT, { spec: { path: "s3://sql" } });
    expect(sp.status?.state).toBe("COMPLETED");
    expect((await client.savepoints.get(STMT, sp.metadata.name as string))?.metadata.uid).toBe(
      sp.metadata.uid,
    );
    expect((await client.savepoints.list(STMT)).items).toHaveLength(1);
    await client.savepoints.delete(STMT, sp.metadata.name as string);
    await client.savepoints.delete(STMT, sp.metadata.name as string, { force: true });
    expect(await client.savepoints.get(STMT, sp.metadata.name as string)).toBeUndefined();

    const err = (await rejection(
      client.savepoints.list({ environment: ENV, statement: "my-stmt" }),
    )) as CmfApiError;
    expect(err.status).toBe(404);
    expect(err.path).toBe(`/cmf/api/v1/environments/${ENV}/statements/my-stmt/savepoints`);
  });
});

describe("client.detachedSavepoints", () => {
  test("create, get, list, listAll, delete; a body is required", async () => {
    const created = await client.detachedSavepoints.create({
      metadata: { name: "archive-1", labels: { team: "a" } },
      spec: { path: "s3://archive/savepoint-1" },
    });
    expect(created.status?.state).toBe("COMPLETED");
    await client.detachedSavepoints.create({ spec: { path: "s3://archive/savepoint-2" } });
    expect((await client.detachedSavepoints.list({ filter: "labels.team=a" })).items).toHaveLength(1);
    expect(await collect(client.detachedSavepoints.listAll({ size: 1 }))).toHaveLength(2);
    await client.detachedSavepoints.delete("archive-1");
    expect(await client.detachedSavepoints.get("archive-1")).toBeUndefined();
    await client.detachedSavepoints.delete("archive-1", { ignoreNotFound: true });
    await expect(client.detachedSavepoints.create(undefined as never)).rejects.toBeInstanceOf(
      CmfArgumentError,
    );
    const bad = (await rejection(client.detachedSavepoints.create({}))) as CmfApiError;
    expect(bad.status).toBe(400);
  });
});

describe("client.kubernetesClusters", () => {
  test("list, listAll, get, update labels/annotations/lifecycleState; 400 decommission in use; retried PUT", async () => {
    await emulator.controls.registerKubernetesCluster({ name: "spoke-1", labels: { region: "eu" } });
    expect((await client.kubernetesClusters.list()).items.map((c) => c.metadata.name)).toEqual([
      HUB_CLUSTER_NAME,
      "spoke-1",
    ]);
    expect(await collect(client.kubernetesClusters.listAll({ size: 1 }))).toHaveLength(2);
    expect(await client.kubernetesClusters.get("nope")).toBeUndefined();

    emulator.controls.setFaults({ errorRate: 1, statuses: [503], count: 1, methods: ["PUT"] });
    const updated = await client.kubernetesClusters.update("spoke-1", {
      metadata: { name: "spoke-1", labels: null, annotations: { owner: "team-a" } },
    });
    expect(updated.metadata).toMatchObject({ labels: { region: "eu" }, annotations: { owner: "team-a" } });
    emulator.controls.clearFaults();

    const inUse = (await rejection(
      client.kubernetesClusters.update(HUB_CLUSTER_NAME, { spec: { lifecycleState: "DECOMMISSIONED" } }),
    )) as CmfApiError;
    expect(inUse.status).toBe(400);
    expect(inUse.messages).toEqual([
      `Cannot decommission cluster '${HUB_CLUSTER_NAME}': referenced by environments [${ENV}]`,
    ]);
    const decommissioned = await client.kubernetesClusters.update("spoke-1", {
      spec: { lifecycleState: "DECOMMISSIONED" },
    });
    expect(decommissioned.status?.state).toBe("DECOMMISSIONED");
    await expect(client.kubernetesClusters.update("spoke-1", null as never)).rejects.toBeInstanceOf(
      CmfArgumentError,
    );
  });
});

describe("client.systemInformation and client.resourceInformation", () => {
  test("version, licence and counts", async () => {
    expect((await client.systemInformation.get()).status?.version).toBe("2.3.1");
    expect((await client.systemInformation.c3License()).status?.status).toBe("VALID");
    await client.savepoints.create(APP);
    const info = await client.resourceInformation.get();
    expect(info.status?.resources).toMatchObject({
      environments: 1,
      applications: { RUNNING: 1 },
      savepoints: 1,
      kubernetesClusters: { CONNECTED: 1 },
    });
  });
});
