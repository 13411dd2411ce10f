import {
  CmfApiError,
  CmfClient,
  type FlinkApplication,
  type PostFlinkApplication,
} from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";

const ENV = "prod-env";
let emulator: CmfEmulator;
let client: CmfClient;

function application(name: string, extra: Partial<PostFlinkApplication["spec"]> = {}): PostFlinkApplication {
  return {
    apiVersion: "cmf.confluent.io/v1",
    kind: "FlinkApplication",
    metadata: { name, labels: { team: "data" } },
    spec: {
      image: "confluentinc/cp-flink:1.19.3-cp2",
      flinkVersion: "v1_19",
      serviceAccount: "flink",
      flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2" },
      jobManager: { resource: { cpu: 1, memory: "1024m" } },
      taskManager: { resource: { cpu: 1, memory: "1024m" } },
      job: {
        jarURI: "local:///opt/flink/examples/streaming/StateMachineExample.jar",
        parallelism: 1,
        state: "running",
      },
      ...extra,
    },
  };
}

async function apiError(promise: Promise<unknown>): Promise<CmfApiError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(CmfApiError);
  return outcome as CmfApiError;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

beforeAll(async () => {
  emulator = await CmfEmulator.start({ lifecycle: "instant" });
  client = new CmfClient({ url: emulator.url, retry: { maxAttempts: 2, baseDelayMs: 1 } });
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

beforeEach(async () => {
  await emulator.controls.reset();
  await client.environments.upsert({ name: ENV, kubernetesNamespace: "flink-prod" });
});

describe("environments", () => {
  it("upserts, reads, lists and deletes", async () => {
    const created = await client.environments.upsert({
      name: "staging-env",
      kubernetesNamespace: "flink-staging",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "state.backend.type": "rocksdb" } } },
    });
    expect(created).toMatchObject({ name: "staging-env", kubernetesNamespace: "flink-staging" });
    expect(typeof created.created_time).toBe("string");

    const updated = await client.environments.upsert({
      name: "staging-env",
      kubernetesNamespace: "flink-staging",
      flinkApplicationDefaults: { spec: { flinkConfiguration: { "state.backend.type": "hashmap" } } },
    });
    expect(updated.flinkApplicationDefaults).toEqual({
      spec: { flinkConfiguration: { "state.backend.type": "hashmap" } },
    });

    await expect(client.environments.get("staging-env")).resolves.toMatchObject({ name: "staging-env" });
    const page = await client.environments.list({ sort: "name" });
    expect(page.items.map((e) => e.name)).toEqual([ENV, "staging-env"]);
    expect(page.metadata?.size).toBe(2);
    expect((await collect(client.environments.listAll())).map((e) => e.name)).toEqual([ENV, "staging-env"]);

    await client.environments.delete("staging-env");
    await expect(client.environments.get("staging-env")).resolves.toBeUndefined();
  });

  it("accepts the 2.3 metadata.name form", async () => {
    const env = await client.environments.upsert({
      metadata: { name: "meta-env" },
      kubernetesNamespace: "ns",
    });
    expect(env.name).toBe("meta-env");
  });

  it("renders CMF's validation errors, one line each", async () => {
    const error = await apiError(client.environments.upsert({ name: "UP", kubernetesNamespace: "flink" }));
    expect(error.status).toBe(400);
    expect(error.method).toBe("POST");
    expect(error.path).toBe("/cmf/api/v1/environments");
    expect(error.messages.length).toBeGreaterThanOrEqual(2);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("CMF rejected POST /cmf/api/v1/environments (400 Bad Request):");
    expect(lines.slice(1)).toEqual(error.messages.map((m) => `  ${m}`));
    expect(error.message).toContain("name: size must be between 4 and 2147483647");
  });

  it("throws on deleting a missing environment unless told to ignore it", async () => {
    const error = await apiError(client.environments.delete("gone-env"));
    expect(error.isNotFound).toBe(true);
    expect(error.message.split("\n")[0]).toBe(
      "CMF rejected DELETE /cmf/api/v1/environments/gone-env (404 Not Found):",
    );
    await expect(client.environments.delete("gone-env", { ignoreNotFound: true })).resolves.toBeUndefined();
  });

  it("deletes with force", async () => {
    await client.environments.delete(ENV, { force: true });
    expect(emulator.controls.stats().byRoute).toHaveProperty(
      ["DELETE /cmf/api/v1/environments/{envName}"],
      1,
    );
    await expect(client.environments.get(ENV)).resolves.toBeUndefined();
  });
});

describe("applications", () => {
  it("upserts, reads and lists", async () => {
    const created = await client.applications.upsert(ENV, application("orders-app"));
    expect(created).toMatchObject({ kind: "FlinkApplication", metadata: { name: "orders-app" } });
    expect(created.spec.job?.state).toBe("running");

    const fetched = await client.applications.get(ENV, "orders-app");
    expect(fetched?.status?.jobStatus?.state).toBe("RUNNING");
    expect(fetched?.spec.flinkConfiguration).toEqual({ "taskmanager.numberOfTaskSlots": "2" });

    await client.applications.upsert(ENV, application("billing-app"));
    const page = await client.applications.list(ENV, { sort: "name,desc" });
    expect(page.items.map((a) => a.metadata.name)).toEqual(["orders-app", "billing-app"]);
    const filtered = await client.applications.list(ENV, { filter: "name=ord*" });
    expect(filtered.items.map((a) => a.metadata.name)).toEqual(["orders-app"]);
  });

  it("returns undefined for a missing application and throws for a missing environment's list", async () => {
    await expect(client.applications.get(ENV, "nope-app")).resolves.toBeUndefined();
    await expect(client.applications.get("nope-env", "nope-app")).resolves.toBeUndefined();
    const error = await apiError(client.applications.list("nope-env"));
    expect(error.status).toBe(404);
  });

  it("suspends and starts", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    const suspended = await client.applications.suspend(ENV, "orders-app");
    expect(suspended.spec.job?.state).toBe("suspended");
    expect((await client.applications.get(ENV, "orders-app"))?.status?.lifecycleState).toBe("SUSPENDED");
    const started = await client.applications.start(ENV, "orders-app");
    expect(started.spec.job?.state).toBe("running");
  });

  it("reports an unknown savepoint on start", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    const error = await apiError(
      client.applications.start(ENV, "orders-app", { startFromSavepointUid: "sp-123" }),
    );
    expect(error.status).toBe(404);
    expect(error.path).toBe(
      `/cmf/api/v1/environments/${ENV}/applications/orders-app/start?startFromSavepointUid=sp-123`,
    );
    expect(error.messages.join(" ")).toContain("sp-123");
  });

  it("lists instances and reads one, and lists events", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    await client.applications.upsert(
      ENV,
      application("orders-app", { flinkConfiguration: { "taskmanager.numberOfTaskSlots": "4" } }),
    );
    const instances = await client.applications.instances(ENV, "orders-app");
    expect(instances.items).toHaveLength(2);
    const all = await collect(client.applications.listAllInstances(ENV, "orders-app", { size: 1 }));
    expect(all.map((i) => i.metadata.name).sort()).toEqual(
      instances.items.map((i) => i.metadata.name).sort(),
    );

    const name = instances.items[0].metadata.name;
    const instance = await client.applications.instance(ENV, "orders-app", name);
    expect(instance?.metadata.name).toBe(name);
    expect(instance?.status?.spec).toBeDefined();
    await expect(
      client.applications.instance(ENV, "orders-app", "00000000-0000-0000-0000-000000000000"),
    ).resolves.toBeUndefined();

    const events = await client.applications.events(ENV, "orders-app");
    expect(events.items.length).toBeGreaterThan(0);
    expect(events.items.every((e) => typeof e.status.type === "string")).toBe(true);
    const allEvents = await collect(client.applications.listAllEvents(ENV, "orders-app", { size: 2 }));
    expect(allEvents).toHaveLength(events.metadata?.size ?? -1);
    const jobEvents = await client.applications.events(ENV, "orders-app", { filter: "type=JOB_STATUS" });
    expect(jobEvents.items.every((e) => e.status.type === "JOB_STATUS")).toBe(true);
  });

  it("surfaces a forced failure in status and events", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    await emulator.controls.failApplication(ENV, "orders-app", "java.lang.OutOfMemoryError: boom");
    const app = (await client.applications.get(ENV, "orders-app")) as FlinkApplication;
    expect(app.status?.lifecycleState).toBe("FAILED");
    const events = await collect(client.applications.listAllEvents(ENV, "orders-app"));
    expect(events.some((e) => e.status.data?.exceptionString?.includes("OutOfMemoryError"))).toBe(true);
  });

  it("deletes, with 404 as an error unless ignored", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    await client.applications.delete(ENV, "orders-app", { force: true });
    await expect(client.applications.get(ENV, "orders-app")).resolves.toBeUndefined();
    const error = await apiError(client.applications.delete(ENV, "orders-app"));
    expect(error.status).toBe(404);
    await expect(
      client.applications.delete(ENV, "orders-app", { ignoreNotFound: true }),
    ).resolves.toBeUndefined();
  });

  it("renders CMF's rejection of a bad application", async () => {
    const bad = application("Bad_Name");
    const error = await apiError(client.applications.upsert(ENV, bad));
    expect(error.status).toBe(400);
    expect(error.message.split("\n")[0]).toBe(
      `CMF rejected POST /cmf/api/v1/environments/${ENV}/applications (400 Bad Request):`,
    );
    expect(error.messages.some((m) => m.startsWith("metadata.name:"))).toBe(true);
  });
});

describe("pagination", () => {
  it("walks 250 applications in pages of 20 without a trailing empty request", async () => {
    for (let i = 0; i < 250; i++) {
      await client.applications.upsert(ENV, application(`app-${String(i).padStart(3, "0")}`));
    }
    const before = emulator.controls.stats().requests.GET ?? 0;
    const names = (await collect(client.applications.listAll(ENV, { size: 20, sort: "name" }))).map(
      (a) => a.metadata.name,
    );
    const gets = (emulator.controls.stats().requests.GET ?? 0) - before;
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    expect(names).toEqual([...names].sort());
    expect(gets).toBe(13);
  });

  it("returns an empty page past the end", async () => {
    await client.applications.upsert(ENV, application("orders-app"));
    const page = await client.applications.list(ENV, { page: 5, size: 20 });
    expect(page.items).toEqual([]);
    expect(page.metadata?.size).toBe(1);
  });
});
