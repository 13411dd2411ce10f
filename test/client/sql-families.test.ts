import {
  CmfApiError,
  CmfClient,
  type PostComputePool,
  type PostEnvironmentSecretMapping,
  type PostKafkaCatalog,
  type PostKafkaDatabase,
  type PostSecret,
  type PostStatement,
} from "../../provider/client";
import { DEBUG_ENV_VAR } from "../../provider/client/debug-log";
import { CmfEmulator } from "../../provider/emulator";
import { json, startScriptedServer } from "./scripted-server";

const ENV = "prod-env";
const SECRET_VALUE = "hunter2-super-secret";
let emulator: CmfEmulator;
let client: CmfClient;

const secret = (name: string, value = SECRET_VALUE): PostSecret => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "Secret",
  metadata: { name },
  spec: { data: { "sasl.jaas.config": value } },
});
const catalog = (name: string, secretId?: string): PostKafkaCatalog => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "KafkaCatalog",
  metadata: { name },
  spec: {
    srInstance: {
      connectionConfig: { "schema.registry.url": "http://sr:8081" },
      ...(secretId ? { connectionSecretId: secretId } : {}),
    },
  },
});
const database = (name: string, ddlEnvironments?: string[]): PostKafkaDatabase => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "KafkaDatabase",
  metadata: { name },
  spec: {
    kafkaCluster: { connectionConfig: { "bootstrap.servers": "kafka:9092" } },
    ...(ddlEnvironments ? { ddlEnvironments } : {}),
  },
});
const pool = (
  name: string,
  type: "DEDICATED" | "SHARED" = "DEDICATED",
  image = "confluentinc/cp-flink-sql:1.19-cp1",
): PostComputePool => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "ComputePool",
  metadata: { name },
  spec: { type, clusterSpec: { image, jobManager: { resource: { memory: "1024m" } } } },
});
const statement = (name: string, sql: string): PostStatement => ({
  apiVersion: "cmf.confluent.io/v1",
  kind: "Statement",
  metadata: { name },
  spec: { statement: sql, computePoolName: "pool" },
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

beforeAll(async () => {
  emulator = await CmfEmulator.start({ port: 0 });
  client = new CmfClient({ url: emulator.url, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(async () => {
  await emulator.controls.reset();
  await client.environments.upsert({ name: ENV, kubernetesNamespace: "flink" });
});

describe("secrets and secret mappings", () => {
  test("create, get, list, listAll, update, delete; values never come back", async () => {
    const created = await client.secrets.create(secret("kafka-creds"));
    expect(created.spec?.data).toEqual({ "sasl.jaas.config": "****" });
    expect(created.status?.version).toBe("1");
    expect((await client.secrets.get("kafka-creds"))?.metadata.uid).toBe(created.metadata.uid);
    expect(await client.secrets.get("missing-secret")).toBeUndefined();
    await client.secrets.create(secret("other-creds"));
    expect((await client.secrets.list({ size: 1 })).metadata?.size).toBe(2);
    expect((await collect(client.secrets.listAll({ size: 1 }))).map((s) => s.metadata.name)).toEqual([
      "kafka-creds",
      "other-creds",
    ]);
    expect(
      (await client.secrets.update("kafka-creds", secret("kafka-creds", "rotated"))).status?.version,
    ).toBe("2");
    await client.secrets.delete("other-creds");
    await expect(client.secrets.delete("other-creds")).rejects.toMatchObject({ status: 404 });
    await client.secrets.delete("other-creds", { ignoreNotFound: true });
    const conflict = await client.secrets.create(secret("kafka-creds")).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(CmfApiError);
    expect((conflict as CmfApiError).isConflict).toBe(true);
  });

  test("mappings: create, get, list, listAll, update, delete", async () => {
    await client.secrets.create(secret("kafka-creds"));
    await client.secrets.create(secret("sr-creds"));
    const body = (secretName: string): PostEnvironmentSecretMapping => ({
      apiVersion: "cmf.confluent.io/v1",
      kind: "EnvironmentSecretMapping",
      metadata: { name: "kafka-id" },
      spec: { secretName },
    });
    expect((await client.secretMappings.create(ENV, body("kafka-creds"))).spec?.secretName).toBe(
      "kafka-creds",
    );
    expect((await client.environments.get(ENV))?.secrets).toEqual({ "kafka-id": "kafka-creds" });
    expect((await client.secretMappings.update(ENV, "kafka-id", body("sr-creds"))).spec?.secretName).toBe(
      "sr-creds",
    );
    expect((await client.secretMappings.get(ENV, "kafka-id"))?.spec?.secretName).toBe("sr-creds");
    expect((await client.secretMappings.list(ENV)).items).toHaveLength(1);
    expect(await collect(client.secretMappings.listAll(ENV))).toHaveLength(1);
    expect((await client.secrets.get("sr-creds"))?.status?.environments).toEqual([ENV]);
    await client.secretMappings.delete(ENV, "kafka-id");
    expect(await client.secretMappings.get(ENV, "kafka-id")).toBeUndefined();
  });

  test("secret values never appear in errors, even when a server echoes the request", async () => {
    const server = await startScriptedServer((req, res) =>
      json(res, 400, { errors: [{ message: `bad body: ${req.body}` }] }),
    );
    const echo = new CmfClient({ url: server.url });
    try {
      const error = await echo.secrets.create(secret("kafka-creds")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CmfApiError);
      expect((error as CmfApiError).message).toContain("[redacted]");
      expect((error as CmfApiError).message).not.toContain(SECRET_VALUE);
      expect(JSON.stringify((error as CmfApiError).messages)).not.toContain(SECRET_VALUE);
      const updateError = await echo.secrets
        .update("kafka-creds", secret("kafka-creds"))
        .catch((e: unknown) => e);
      expect(String(updateError)).not.toContain(SECRET_VALUE);
    } finally {
      await echo.close();
      await server.close();
    }
  });

  test("secret values never appear in PULUMI_CMF_DEBUG logs", async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    process.env[DEBUG_ENV_VAR] = "1";
    try {
      await client.secrets.create(secret("kafka-creds"));
      await client.secrets.update("kafka-creds", secret("kafka-creds", `${SECRET_VALUE}-2`));
      await client.secrets.create(secret("kafka-creds")).catch(() => undefined);
    } finally {
      delete process.env[DEBUG_ENV_VAR];
      spy.mockRestore();
    }
    expect(written.join("")).toContain("POST /cmf/api/v1/secrets -> 200");
    expect(written.join("")).not.toContain(SECRET_VALUE);
  });

  test("creates are not retried once CMF answered; GETs are", async () => {
    emulator.controls.setFaults({
      statuses: [503],
      count: 1,
      methods: ["POST"],
      pathPrefix: "/cmf/api/v1/secrets",
    });
    const failed = await client.secrets.create(secret("kafka-creds")).catch((e: unknown) => e);
    expect((failed as CmfApiError).status).toBe(503);
    expect((failed as CmfApiError).attempts).toBe(1);
    await client.secrets.create(secret("kafka-creds"));
    emulator.controls.setFaults({ statuses: [503], count: 1, methods: ["GET"] });
    expect((await client.secrets.get("kafka-creds"))?.metadata.name).toBe("kafka-creds");
    // A PUT replaces the whole object: repeating it is harmless, so it is retried.
    emulator.controls.setFaults({ statuses: [503], count: 1, methods: ["PUT"] });
    expect(
      (await client.secrets.update("kafka-creds", secret("kafka-creds", "rotated"))).status?.version,
    ).toBe("2");
    expect(emulator.controls.faults()?.count).toBe(0);
  });
});

describe("Kafka catalogs and databases", () => {
  test("create, get, list, listAll, update (read back after CMF's empty 200), delete", async () => {
    await client.kafkaCatalogs.create(catalog("kafka-cat"));
    const updated = await client.kafkaCatalogs.update("kafka-cat", catalog("kafka-cat", "sr-id"));
    expect(updated.spec.srInstance.connectionSecretId).toBe("sr-id");
    expect((await client.kafkaCatalogs.get("kafka-cat"))?.status?.environmentsWithAccess).toEqual([]);
    expect((await client.kafkaCatalogs.list()).items).toHaveLength(1);
    expect(await collect(client.kafkaCatalogs.listAll())).toHaveLength(1);

    const created = await client.kafkaDatabases.create("kafka-cat", database("sales-db"));
    expect(created.kind).toBe("KafkaDatabase");
    expect(
      (await client.kafkaDatabases.update("kafka-cat", "sales-db", database("sales-db", [ENV]))).spec
        .ddlEnvironments,
    ).toEqual([ENV]);
    expect((await client.kafkaDatabases.get("kafka-cat", "sales-db"))?.metadata.name).toBe("sales-db");
    expect((await client.kafkaDatabases.list("kafka-cat")).items).toHaveLength(1);
    expect(await collect(client.kafkaDatabases.listAll("kafka-cat"))).toHaveLength(1);
    await expect(client.kafkaCatalogs.delete("kafka-cat")).rejects.toMatchObject({ status: 409 });
    await client.kafkaDatabases.delete("kafka-cat", "sales-db");
    await client.kafkaCatalogs.delete("kafka-cat");
    expect(await client.kafkaCatalogs.get("kafka-cat")).toBeUndefined();
  });
});

describe("compute pools and statements", () => {
  beforeEach(async () => {
    await client.computePools.create(ENV, pool("pool"));
  });

  test("compute pools: create, get, list, listAll, update, delete", async () => {
    const shared = await client.computePools.create(ENV, pool("shared-pool", "SHARED"));
    expect(shared.status?.phase).toBe("RUNNING");
    expect((await client.computePools.get(ENV, "pool"))?.status?.phase).toBe("DEDICATED");
    expect(
      (await client.computePools.list(ENV, { filter: "phase=RUNNING" })).items.map((p) => p.metadata.name),
    ).toEqual(["shared-pool"]);
    expect(await collect(client.computePools.listAll(ENV, { size: 1 }))).toHaveLength(2);
    const updated = await client.computePools.update(
      ENV,
      "shared-pool",
      pool("shared-pool", "SHARED", "other:1"),
    );
    expect(updated.spec.clusterSpec?.image).toBe("other:1");
    await client.computePools.delete(ENV, "shared-pool", { force: true });
    expect(await client.computePools.get(ENV, "shared-pool")).toBeUndefined();
  });

  test("statements: create, get, list, listAll, stop, rescale, resume, update, results, exceptions, delete", async () => {
    await client.statements.create(
      ENV,
      statement(
        "create-orders",
        "CREATE TABLE orders (id INT, customer STRING) WITH ('connector' = 'kafka')",
      ),
    );
    await emulator.controls.seedTableRows(ENV, "orders", {
      rows: Array.from({ length: 150 }, (_, i) => [String(i), `c${i}`]),
    });
    const created = await client.statements.create(
      ENV,
      statement("read-orders", "SELECT customer FROM orders"),
    );
    expect(created.status?.phase).toBe("RUNNING");
    const failed = await client.statements.create(ENV, statement("bad-sql", "SELEC 1"));
    expect(failed.status?.phase).toBe("FAILED");
    expect((await client.statements.get(ENV, "read-orders"))?.status?.traits?.sqlKind).toBe("SELECT");
    expect(
      (await client.statements.list(ENV, { phase: "RUNNING" })).items.map((s) => s.metadata.name),
    ).toEqual(["read-orders"]);
    expect((await client.statements.list(ENV, { computePool: "pool" })).metadata?.size).toBe(3);
    expect(await collect(client.statements.listAll(ENV, { size: 2 }))).toHaveLength(3);

    const first = await client.statements.results(ENV, "read-orders");
    expect(first.results.data).toHaveLength(100);
    const rows = await collect(client.statements.resultRows(ENV, "read-orders"));
    expect(rows.map((r) => r.row[0])).toEqual(Array.from({ length: 150 }, (_, i) => `c${i}`));

    expect((await client.statements.stop(ENV, "read-orders")).status?.phase).toBe("STOPPED");
    expect((await client.statements.rescale(ENV, "read-orders", 3)).spec.parallelism).toBe(3);
    expect((await client.statements.resume(ENV, "read-orders")).status?.phase).toBe("RUNNING");
    const labelled = await client.statements.update(ENV, "read-orders", {
      ...statement("read-orders", "SELECT customer FROM orders"),
      metadata: { name: "read-orders", labels: { team: "data" } },
      spec: { statement: "SELECT customer FROM orders", computePoolName: "pool", parallelism: 3 },
    });
    expect(labelled.metadata.labels).toEqual({ team: "data" });
    await expect(client.statements.stop(ENV, "create-orders")).rejects.toMatchObject({ status: 400 });
    await expect(client.statements.rescale(ENV, "read-orders", 0)).rejects.toThrow(
      /parallelism must be an integer >= 1/,
    );

    await emulator.controls.failStatement(ENV, "read-orders", { message: "Broker down" });
    expect((await client.statements.exceptions(ENV, "read-orders")).map((e) => e.message)).toEqual([
      "Broker down",
    ]);
    await expect(client.statements.results(ENV, "create-orders")).rejects.toMatchObject({ status: 400 });

    await client.statements.delete(ENV, "read-orders");
    expect(await client.statements.get(ENV, "read-orders")).toBeUndefined();
    await client.statements.delete(ENV, "read-orders", { ignoreNotFound: true });
  });
});
