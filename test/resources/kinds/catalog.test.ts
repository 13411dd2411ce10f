/**
 * CmfSecretMapping, CmfKafkaCatalog and CmfKafkaDatabase: check and diff (pure), and their operations
 * against the emulator (in-place updates, drift, the catalog's delete waiting for its databases).
 */
import { kafkaCatalogController } from "../../../provider/kinds/kafka-catalog/adapter";
import { kafkaDatabaseController } from "../../../provider/kinds/kafka-database/adapter";
import { secretMappingController } from "../../../provider/kinds/secret-mapping/adapter";
import { caught, closeHarnesses, harness, type Harness } from "./harness";

afterAll(closeHarnesses);

const catalogSpec = {
  srInstance: {
    connectionConfig: { "schema.registry.url": "http://sr:8081" },
    connectionSecretId: "sr-conn",
  },
};
const databaseSpec = {
  kafkaCluster: { connectionConfig: { "bootstrap.servers": "kafka:9092" }, connectionSecretId: "kafka-conn" },
};

function conn(h?: Harness) {
  return h ? { connection: h.connection } : {};
}

const mapping = (h?: Harness, extra: Record<string, unknown> = {}) => ({
  environment: "prod-env",
  name: "kafka-conn",
  secretName: "kafka-creds",
  owner: "proj/dev/kafka-conn",
  ...conn(h),
  ...extra,
});
const catalog = (h?: Harness, extra: Record<string, unknown> = {}) => ({
  name: "kafka-cat",
  spec: catalogSpec,
  owner: "proj/dev/kafka-cat",
  ...conn(h),
  ...extra,
});
const database = (h?: Harness, extra: Record<string, unknown> = {}) => ({
  catalog: "kafka-cat",
  name: "orders-db",
  spec: databaseSpec,
  owner: "proj/dev/orders-db",
  ...conn(h),
  ...extra,
});

describe("check and diff", () => {
  it("names each broken field", () => {
    expect(secretMappingController.check({ environment: "prod-env", name: "kafka-conn" }).failures).toEqual([
      { property: "secretName", reason: "is required (give `secret` or `secretName`)" },
    ]);
    expect(kafkaCatalogController.check({ name: "kafka-cat", spec: { srInstance: {} } }).failures).toEqual([
      { property: "spec.srInstance.connectionConfig", reason: "is required" },
    ]);
    const failures = kafkaDatabaseController.check({
      catalog: "Kafka_Cat",
      name: "orders-db",
      spec: { kafkaCluster: { connectionConfig: { a: 1 } }, ddlEnvironments: "prod-env" },
    }).failures;
    expect(failures.map((f) => f.property)).toEqual([
      "catalog",
      "spec.kafkaCluster.connectionConfig.a",
      "spec.ddlEnvironments",
    ]);
  });

  it("changes specs and secret names in place; environment, catalog and names replace", () => {
    expect(
      secretMappingController.diff(mapping(), mapping(undefined, { secretName: "other" })),
    ).toMatchObject({
      replaces: [],
      changedCmfFields: ["secretName"],
    });
    expect(
      secretMappingController.diff(mapping(), mapping(undefined, { environment: "other-env" })),
    ).toMatchObject({
      replaces: ["environment"],
      deleteBeforeReplace: false,
    });
    const spec = { srInstance: { connectionConfig: { "schema.registry.url": "http://sr2:8081" } } };
    expect(kafkaCatalogController.diff(catalog(), catalog(undefined, { spec }))).toMatchObject({
      replaces: [],
    });
    expect(
      kafkaDatabaseController.diff(database(), database(undefined, { catalog: "other-cat" })),
    ).toMatchObject({
      replaces: ["catalog"],
    });
    expect(kafkaDatabaseController.diff(database(), database()).changes).toBe(false);
  });
});

async function prerequisites(h: Harness): Promise<void> {
  await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
  for (const name of ["kafka-creds", "sr-creds"]) {
    await h.direct.secrets.create({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name },
      spec: { data: { k: "v" } },
    });
  }
}

describe("operations", () => {
  it("secret mapping: create, read, drift, update in place, delete", async () => {
    const h = await harness();
    await prerequisites(h);
    const created = await h.runtime.create("SecretMapping", mapping(h));
    expect(created.id).toBe("prod-env/kafka-conn");
    expect(created.outs).toMatchObject({
      environment: "prod-env",
      name: "kafka-conn",
      secretName: "kafka-creds",
    });
    expect((await h.direct.environments.get("prod-env"))?.secrets).toEqual({ "kafka-conn": "kafka-creds" });

    await h.direct.secretMappings.update("prod-env", "kafka-conn", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "EnvironmentSecretMapping",
      metadata: { name: "kafka-conn", annotations: { "pulumi-cmf/owner": "proj/dev/kafka-conn" } },
      spec: { secretName: "sr-creds" },
    });
    const drifted = await h.runtime.read("SecretMapping", "prod-env/kafka-conn", created.outs);
    expect(drifted.props).toMatchObject({ secretName: "sr-creds" });
    expect((await h.runtime.diff("SecretMapping", "", drifted.props, mapping(h))).changes).toBe(true);
    const updated = await h.runtime.update("SecretMapping", "prod-env/kafka-conn", drifted.props, mapping(h));
    expect(updated.outs).toMatchObject({ secretName: "kafka-creds" });

    await h.runtime.delete("SecretMapping", "prod-env/kafka-conn", updated.outs);
    expect(await h.direct.secretMappings.get("prod-env", "kafka-conn")).toBeUndefined();
  });

  it("a mapping of an unknown environment fails with a hint", async () => {
    const h = await harness();
    const error = await caught(h.runtime.create("SecretMapping", mapping(h)));
    expect(error.message).toMatch(/create CMF secret mapping "prod-env\/kafka-conn"/);
    expect(error.message).toMatch(/CMF environment "prod-env" does not exist/);
  });

  it("catalog and database: create, no drift, in-place update, drift, and a catalog delete that waits for its databases", async () => {
    const h = await harness();
    const cat = await h.runtime.create("KafkaCatalog", catalog(h));
    expect(cat.outs).toMatchObject({ name: "kafka-cat", spec: catalogSpec });
    const db = await h.runtime.create("KafkaDatabase", database(h));
    expect(db.id).toBe("kafka-cat/orders-db");
    expect(db.outs).toMatchObject({ catalog: "kafka-cat", spec: databaseSpec });
    const read = await h.runtime.read("KafkaDatabase", db.id, db.outs);
    expect((await h.runtime.diff("KafkaDatabase", db.id, read.props, database(h))).changes).toBe(false);

    const wider = { ...databaseSpec, ddlEnvironments: ["prod-env"] };
    const updated = await h.runtime.update("KafkaDatabase", db.id, read.props!, database(h, { spec: wider }));
    expect(updated.outs).toMatchObject({ spec: wider });
    expect((await h.direct.kafkaDatabases.get("kafka-cat", "orders-db"))?.spec.ddlEnvironments).toEqual([
      "prod-env",
    ]);

    await h.direct.kafkaCatalogs.update("kafka-cat", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "KafkaCatalog",
      metadata: { name: "kafka-cat", annotations: { "pulumi-cmf/owner": "proj/dev/kafka-cat" } },
      spec: { srInstance: { connectionConfig: { "schema.registry.url": "http://x:1", extra: "y" } } },
    });
    const drifted = await h.runtime.read("KafkaCatalog", "kafka-cat", cat.outs);
    expect(drifted.props).toMatchObject({
      spec: { srInstance: { connectionConfig: { "schema.registry.url": "http://x:1", extra: "y" } } },
    });
    expect((await h.runtime.diff("KafkaCatalog", "kafka-cat", drifted.props, catalog(h))).changes).toBe(true);

    // The catalog's delete waits while its database is still there, as when Pulumi deletes both.
    const catalogGone = h.runtime.delete("KafkaCatalog", "kafka-cat", cat.outs);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await h.direct.kafkaCatalogs.get("kafka-cat")).toBeDefined();
    await h.runtime.delete("KafkaDatabase", db.id, updated.outs);
    await catalogGone;
    expect(await h.direct.kafkaCatalogs.get("kafka-cat")).toBeUndefined();
  });
});
