import type { CmfEmulator } from "../../provider/emulator";
import { Api, environment, startEmulator, UUID, V1 } from "./helpers";
import { catalog, catalogs, database, databases, mapping, mappings, secret, secrets } from "./sql-helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(() => emu.controls.reset());

const put = (path: string, body: unknown) => api.request("PUT", path, { body });

describe("Kafka catalogs", () => {
  test("POST 200 with the spec echoed; GET; list; 409 on a duplicate; 404 unknown", async () => {
    const created = await api.post(catalogs, catalog("kafka-cat"));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      kind: "KafkaCatalog",
      metadata: { name: "kafka-cat" },
      spec: catalog("kafka-cat").spec,
      status: { environmentsWithAccess: [] },
    });
    expect(created.json.metadata.uid).toMatch(UUID);
    expect((await api.get(`${catalogs}/kafka-cat`)).json).toEqual(created.json);
    expect((await api.get(catalogs)).json).toMatchObject({ metadata: { size: 1 }, items: [created.json] });
    expect((await api.post(catalogs, catalog("kafka-cat"))).status).toBe(409);
    expect((await api.get(`${catalogs}/nope-cat`)).status).toBe(404);
    expect((await put(`${catalogs}/nope-cat`, catalog("nope-cat"))).status).toBe(404);
    expect((await api.delete(`${catalogs}/nope-cat`)).status).toBe(404);
  });

  test("PUT answers 200 without a body and replaces the spec", async () => {
    await api.post(catalogs, catalog("kafka-cat"));
    const updated = await put(`${catalogs}/kafka-cat`, catalog("kafka-cat", "sr-id"));
    expect(updated.status).toBe(200);
    expect(updated.text).toBe("");
    expect((await api.get(`${catalogs}/kafka-cat`)).json.spec.srInstance.connectionSecretId).toBe("sr-id");
  });

  test("spec.srInstance.connectionConfig is required (400 naming it)", async () => {
    const res = await api.post(catalogs, { ...catalog("kafka-cat"), spec: { srInstance: {} } });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toBe("spec.srInstance.connectionConfig: must not be null");
  });

  test("deleting a catalog that still has databases is 409; without them 204", async () => {
    await api.post(catalogs, catalog("kafka-cat"));
    await api.post(databases("kafka-cat"), database("orders-db"));
    const refused = await api.delete(`${catalogs}/kafka-cat`);
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0].message).toMatch(/still contains 1 database\(s\): orders-db/);
    expect((await api.delete(`${databases("kafka-cat")}/orders-db`)).status).toBe(204);
    expect((await api.delete(`${catalogs}/kafka-cat`)).status).toBe(204);
  });
});

describe("Kafka databases", () => {
  beforeEach(async () => {
    await api.post(catalogs, catalog("kafka-cat"));
  });

  test("CRUD: POST 200, GET, list, PUT 200 without a body, DELETE 204; 409 and 404", async () => {
    const created = await api.post(
      databases("kafka-cat"),
      database("orders-db", undefined, { ddlEnvironments: ["prod"] }),
    );
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      kind: "KafkaDatabase",
      metadata: { name: "orders-db" },
      spec: { ddlEnvironments: ["prod"] },
    });
    expect((await api.post(databases("kafka-cat"), database("orders-db"))).status).toBe(409);
    expect((await api.get(databases("kafka-cat"))).json.items).toEqual([created.json]);
    const updated = await put(`${databases("kafka-cat")}/orders-db`, database("orders-db"));
    expect(updated.status).toBe(200);
    expect(updated.text).toBe("");
    expect((await api.get(`${databases("kafka-cat")}/orders-db`)).json.spec.ddlEnvironments).toBeUndefined();
    expect((await api.delete(`${databases("kafka-cat")}/orders-db`)).status).toBe(204);
    expect((await api.get(`${databases("kafka-cat")}/orders-db`)).status).toBe(404);
    expect((await api.get(databases("nope-cat"))).status).toBe(404);
    expect((await api.post(databases("nope-cat"), database("orders-db"))).status).toBe(404);
  });

  test("status.environmentsWithAccess follows the secret mappings of each environment", async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(`${V1}/environments`, environment("test-env"));
    await api.post(secrets, secret("kafka-creds", { "sasl.mechanism": "PLAIN" }));
    await api.post(catalogs, catalog("secure-cat", "sr-id"));
    await api.post(databases("secure-cat"), database("secure-db", "kafka-id"));
    await api.post(databases("kafka-cat"), database("open-db"));

    // No secret ids: every environment has access.
    expect((await api.get(`${catalogs}/kafka-cat`)).json.status.environmentsWithAccess).toEqual([
      "prod",
      "test-env",
    ]);
    expect((await api.get(`${databases("kafka-cat")}/open-db`)).json.status.environmentsWithAccess).toEqual([
      "prod",
      "test-env",
    ]);
    expect((await api.get(`${catalogs}/secure-cat`)).json.status.environmentsWithAccess).toEqual([]);

    await api.post(mappings("prod"), mapping("sr-id", "kafka-creds"));
    expect((await api.get(`${catalogs}/secure-cat`)).json.status.environmentsWithAccess).toEqual(["prod"]);
    // The database also needs its own Kafka secret id mapped.
    expect(
      (await api.get(`${databases("secure-cat")}/secure-db`)).json.status.environmentsWithAccess,
    ).toEqual([]);
    await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
    expect(
      (await api.get(`${databases("secure-cat")}/secure-db`)).json.status.environmentsWithAccess,
    ).toEqual(["prod"]);
  });

  test("YAML documents are accepted as posted", async () => {
    const yaml = [
      "apiVersion: cmf.confluent.io/v1",
      "kind: KafkaDatabase",
      "metadata:",
      "  name: yaml-db",
      "spec:",
      "  kafkaCluster:",
      "    connectionConfig:",
      "      bootstrap.servers: kafka:9092",
      "    connectionSecretId: kafka-id",
      "  ddlEnvironments: [prod]",
      "",
    ].join("\n");
    const res = await api.request("POST", databases("kafka-cat"), {
      rawBody: yaml,
      contentType: "application/yaml",
    });
    expect(res.status).toBe(200);
    expect(res.json.spec).toEqual({
      kafkaCluster: {
        connectionConfig: { "bootstrap.servers": "kafka:9092" },
        connectionSecretId: "kafka-id",
      },
      ddlEnvironments: ["prod"],
    });
  });
});
