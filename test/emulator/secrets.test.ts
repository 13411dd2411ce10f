import type { CmfEmulator } from "../../provider/emulator";
import { Api, environment, RFC3339_MS, startEmulator, UUID, V1 } from "./helpers";
import { mapping, mappings, secret, secrets } from "./sql-helpers";

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(() => emu.controls.reset());

const put = (path: string, body: unknown) => api.request("PUT", path, { body });
const kafkaCreds = {
  "sasl.jaas.config":
    "org.apache.kafka.common.security.plain.PlainLoginModule required username='u' password='s3cr3t-value';",
  "security.protocol": "SASL_SSL",
};

describe("secrets", () => {
  test("POST creates (200) with server fields; values never come back, in any answer", async () => {
    const created = await api.post(secrets, secret("kafka-creds", kafkaCreds, { labels: { team: "data" } }));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name: "kafka-creds", labels: { team: "data" } },
      spec: { data: { "sasl.jaas.config": "****", "security.protocol": "****" } },
      status: { version: "1", environments: [] },
    });
    expect(created.json.metadata.uid).toMatch(UUID);
    expect(created.json.metadata.creationTimestamp).toMatch(RFC3339_MS);
    const got = await api.get(`${secrets}/kafka-creds`);
    const list = await api.get(secrets);
    for (const text of [created.text, got.text, list.text]) expect(text).not.toContain("s3cr3t-value");
    expect(got.json).toEqual(created.json);
    expect(list.json.items).toEqual([created.json]);
  });

  test("a second POST of the same name is 409; GET, PUT and DELETE of an unknown one 404", async () => {
    await api.post(secrets, secret("kafka-creds", kafkaCreds));
    const again = await api.post(secrets, secret("kafka-creds", {}));
    expect(again.status).toBe(409);
    expect(again.json.errors[0].message).toBe("Secret 'kafka-creds' already exists");
    expect((await api.get(`${secrets}/nope-1`)).status).toBe(404);
    expect((await put(`${secrets}/nope-1`, secret("nope-1", {}))).status).toBe(404);
    expect((await api.delete(`${secrets}/nope-1`)).status).toBe(404);
  });

  test("PUT replaces the data and increments status.version; an identical PUT does not", async () => {
    await api.post(secrets, secret("kafka-creds", kafkaCreds));
    const updated = await put(`${secrets}/kafka-creds`, secret("kafka-creds", { "sasl.mechanism": "PLAIN" }));
    expect(updated.status).toBe(200);
    expect(updated.json.status.version).toBe("2");
    expect(updated.json.spec.data).toEqual({ "sasl.mechanism": "****" });
    const same = await put(`${secrets}/kafka-creds`, secret("kafka-creds", { "sasl.mechanism": "PLAIN" }));
    expect(same.json.status.version).toBe("2");
    const renamed = await put(`${secrets}/kafka-creds`, secret("other-name", {}));
    expect(renamed.status).toBe(400);
    expect(renamed.json.errors[0].message).toMatch(/^metadata.name: must equal the name in the path/);
  });

  test("bad bodies are 400 naming the field", async () => {
    const res = await api.post(secrets, {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name: "ab" },
      spec: { data: { k: 1 } },
    });
    expect(res.status).toBe(400);
    const messages = res.json.errors.map((e: { message: string }) => e.message);
    expect(messages).toContain("metadata.name: size must be between 4 and 2147483647");
    expect(messages).toContain("spec.data.k: must be a string (got number)");
  });

  test("list: filter, search by environments, sort, paging; ETag and 304", async () => {
    for (const name of ["alpha-secret", "beta-secret", "gamma-secret"])
      await api.post(secrets, secret(name, { k: "v" }));
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(mappings("prod"), mapping("kafka-id", "beta-secret"));
    const filtered = await api.get(`${secrets}?filter=name=*a-secret`);
    expect(filtered.json.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      "alpha-secret",
      "beta-secret",
      "gamma-secret",
    ]);
    const searched = await api.get(`${secrets}?search=prod&searchScope=environments`);
    expect(searched.json.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      "beta-secret",
    ]);
    const page = await api.get(`${secrets}?sort=name,desc&size=2&page=0`);
    expect(page.json.metadata.size).toBe(3);
    expect(page.json.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      "gamma-secret",
      "beta-secret",
    ]);
    const etag = page.headers.get("etag") as string;
    const again = await api.get(`${secrets}?sort=name,desc&size=2&page=0`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});

describe("environment secret mappings", () => {
  beforeEach(async () => {
    await api.post(`${V1}/environments`, environment("prod"));
    await api.post(secrets, secret("kafka-creds", kafkaCreds));
    await api.post(secrets, secret("sr-creds", { "basic.auth.user.info": "u:p" }));
  });

  test("CRUD, reflected in the environment's secrets and in Secret.status.environments", async () => {
    const created = await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      kind: "EnvironmentSecretMapping",
      metadata: { name: "kafka-id" },
      spec: { secretName: "kafka-creds" },
    });
    expect((await api.get(`${V1}/environments/prod`)).json.secrets).toEqual({ "kafka-id": "kafka-creds" });
    expect((await api.get(`${secrets}/kafka-creds`)).json.status.environments).toEqual(["prod"]);

    const updated = await put(`${mappings("prod")}/kafka-id`, mapping("kafka-id", "sr-creds"));
    expect(updated.status).toBe(200);
    expect(updated.json.spec.secretName).toBe("sr-creds");
    expect((await api.get(`${V1}/environments/prod`)).json.secrets).toEqual({ "kafka-id": "sr-creds" });
    expect((await api.get(`${secrets}/kafka-creds`)).json.status.environments).toEqual([]);
    expect((await api.get(`${secrets}/sr-creds`)).json.status.environments).toEqual(["prod"]);

    const list = await api.get(mappings("prod"));
    expect(list.json.metadata.size).toBe(1);
    expect((await api.get(`${mappings("prod")}/kafka-id`)).json).toEqual(updated.json);

    expect((await api.delete(`${mappings("prod")}/kafka-id`)).status).toBe(204);
    expect((await api.get(`${mappings("prod")}/kafka-id`)).status).toBe(404);
    expect((await api.get(`${V1}/environments/prod`)).json.secrets).toEqual({});
  });

  test("409 on a duplicate, 400 for an unknown secret, 404 for an unknown environment or mapping", async () => {
    await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
    expect((await api.post(mappings("prod"), mapping("kafka-id", "sr-creds"))).status).toBe(409);
    const unknownSecret = await api.post(mappings("prod"), mapping("other-id", "missing-secret"));
    expect(unknownSecret.status).toBe(400);
    expect(unknownSecret.json.errors[0].message).toBe("spec.secretName: Secret 'missing-secret' not found");
    expect((await put(`${mappings("prod")}/kafka-id`, mapping("kafka-id", "missing-secret"))).status).toBe(
      400,
    );
    expect((await api.post(mappings("nope-env"), mapping("kafka-id", "kafka-creds"))).status).toBe(404);
    expect((await api.get(mappings("nope-env"))).status).toBe(404);
    expect((await api.delete(`${mappings("prod")}/nope-id`)).status).toBe(404);
  });

  test("policy: a mapped secret cannot be deleted (409 naming the environments); the environment neither", async () => {
    await api.post(mappings("prod"), mapping("kafka-id", "kafka-creds"));
    const refused = await api.delete(`${secrets}/kafka-creds`);
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0].message).toMatch(/still mapped by environment\(s\) prod/);
    const envRefused = await api.delete(`${V1}/environments/prod`);
    expect(envRefused.status).toBe(409);
    expect(envRefused.json.errors[0].message).toMatch(/1 secret mapping\(s\): kafka-id/);
    await api.delete(`${mappings("prod")}/kafka-id`);
    expect((await api.delete(`${secrets}/kafka-creds`)).status).toBe(204);
    expect((await api.delete(`${V1}/environments/prod`)).status).toBe(204);
  });

  test("YAML documents are accepted as posted", async () => {
    const yaml =
      "apiVersion: cmf.confluent.io/v1\nkind: EnvironmentSecretMapping\nmetadata:\n  name: kafka-id\nspec:\n  secretName: kafka-creds\n";
    const res = await api.request("POST", mappings("prod"), {
      rawBody: yaml,
      contentType: "application/yaml",
    });
    expect(res.status).toBe(200);
    const secretYaml =
      "apiVersion: cmf.confluent.io/v1\nkind: Secret\nmetadata:\n  name: yaml-secret\nspec:\n  data:\n    sasl.mechanism: PLAIN\n";
    expect(
      (await api.request("POST", secrets, { rawBody: secretYaml, contentType: "application/yaml" })).status,
    ).toBe(200);
  });
});
