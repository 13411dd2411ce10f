/**
 * The built plugin over gRPC as the engine drives it, against an emulator that requires a token: provider
 * configuration checked and diffed, the default name and owner from the URN, detailed diffs, secrets kept
 * secret, import (Read with the id only), lookups, customTimeouts and partial failures.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { KINDS } from "../../provider/kinds";
import { secret, SIG_KEY } from "../../provider/plugin/values";
import { PluginProcess, type Props } from "./plugin-process";

const TOKEN = "plugin-token-42";
const ENV_URN = "urn:pulumi:dev::flink::cmf:index:Environment::prod-env";
const APP_URN = "urn:pulumi:dev::flink::cmf:index:Application::orders";

const spec = {
  image: "confluentinc/cp-flink:1.19.3-cp2",
  flinkVersion: "v1_19",
  jobManager: { resource: { cpu: 1, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
  job: { jarURI: "local:///opt/flink/job.jar", parallelism: 1, state: "running", upgradeMode: "stateless" },
};

let emulator: CmfEmulator;
let plugin: PluginProcess;
let direct: CmfClient;

beforeAll(async () => {
  emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "instant" });
  direct = new CmfClient({ url: emulator.url, token: TOKEN });
  plugin = await PluginProcess.start();
}, 120_000);

afterAll(async () => {
  await plugin?.close();
  await direct?.close();
  await emulator?.close();
});

const isSecret = (value: unknown) => typeof value === "object" && value !== null && SIG_KEY in value;

describe("the cmf plugin over gRPC", () => {
  it("serves a schema generated from the kind definitions", async () => {
    const schema = await plugin.schema();
    const resources = schema.resources as Record<string, Props>;
    // One resource and one lookup per kind of the registry: a new kind appears without plugin changes.
    const kinds = Object.keys(KINDS).sort();
    expect(Object.keys(resources).sort()).toEqual(kinds.map((kind) => `cmf:index:${kind}`));
    expect(Object.keys(schema.functions as Props).sort()).toEqual(
      kinds.map((kind) => `cmf:index:get${kind}`),
    );
    const env = resources["cmf:index:Environment"];
    expect(env.requiredInputs).toEqual(["kubernetesNamespace"]);
    expect((env.inputProperties as Props).owner).toBeUndefined();
    expect((resources["cmf:index:Application"].inputProperties as Props).timeoutSeconds).toBeUndefined();
    const variables = (schema.config as { variables: Record<string, Props> }).variables;
    expect(variables.token.secret).toBe(true);
    expect(variables.insecureSkipTlsVerify.type).toBe("boolean");
  });

  it("checks the provider configuration at preview and never replaces on a change", async () => {
    const bad = await plugin.checkConfig({ url: "ftp://cmf", tokn: "x", insecureSkipTlsVerify: "maybe" });
    expect(bad.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: "url", reason: "must use the http or https scheme" }),
        expect.objectContaining({ property: "tokn" }),
        expect.objectContaining({ property: "insecureSkipTlsVerify", reason: 'must be "true" or "false"' }),
      ]),
    );
    const both = await plugin.checkConfig({ url: "https://cmf:8080", emulator: "state.json" });
    expect(both.failures.map((f) => f.reason).join("\n")).toMatch(/both set/);
    const ok = await plugin.checkConfig({ url: emulator.url, token: secret(TOKEN), version: "0.1.0" });
    expect(ok.failures).toEqual([]);
    expect(isSecret(ok.inputs.token)).toBe(true);

    const diff = await plugin.diffConfig(
      { url: emulator.url, token: secret("a") },
      { url: emulator.url, token: secret("b") },
    );
    expect(diff).toMatchObject({ changes: "some", replaces: [], detailed: { token: "UPDATE" } });
    expect((await plugin.diffConfig({ url: emulator.url }, { url: emulator.url })).changes).toBe("none");
  });

  it("create, refresh, update with a detailed diff, import, lookup and delete", async () => {
    await plugin.configure({ url: emulator.url, token: secret(TOKEN) });

    const envCheck = await plugin.check(ENV_URN, {}, { kubernetesNamespace: "flink-prod" });
    expect(envCheck.failures).toEqual([]);
    // The CMF name defaults to the logical name; the owner marker comes from the URN.
    expect(envCheck.inputs).toMatchObject({ name: "prod-env", owner: "flink/dev/prod-env" });
    const env = await plugin.create(ENV_URN, envCheck.inputs);
    expect(env.id).toBe("prod-env");

    const appInputs = {
      environment: "prod-env",
      spec,
      connection: secret({ url: emulator.url, token: TOKEN }),
    };
    const appCheck = await plugin.check(APP_URN, {}, appInputs);
    expect(appCheck.failures).toEqual([]);
    expect(isSecret(appCheck.inputs.connection)).toBe(true);
    const app = await plugin.create(APP_URN, appCheck.inputs, 120);
    expect(app.id).toBe("prod-env/orders");
    expect(isSecret(app.properties.connection)).toBe(true);
    expect(app.properties.timeoutSeconds).toBeUndefined();
    expect((app.properties.status as Props).jobState).toBe("RUNNING");
    const server = await direct.applications.get("prod-env", "orders");
    expect(server?.metadata.annotations?.["pulumi-cmf/owner"]).toBe("flink/dev/orders");

    const same = await plugin.diff(APP_URN, app.id, app.properties, appCheck.inputs);
    expect(same.changes).toBe("none");

    // Refresh of an unchanged object: its outputs, and no inputs (the engine keeps the stored ones).
    const refreshed = await plugin.read(APP_URN, app.id, app.properties);
    expect(refreshed.id).toBe(app.id);
    expect(refreshed.properties).toMatchObject({ spec, status: { jobState: "RUNNING" } });
    expect(isSecret(refreshed.properties.connection)).toBe(true);
    expect(refreshed.inputs).toBeUndefined();

    const scaled = {
      ...appInputs,
      spec: { ...spec, job: { ...spec.job, parallelism: 3 } },
      labels: { team: "data" },
    };
    const scaledCheck = await plugin.check(APP_URN, appCheck.inputs, scaled);
    const diff = await plugin.diff(APP_URN, app.id, app.properties, scaledCheck.inputs);
    expect(diff).toMatchObject({
      changes: "some",
      replaces: [],
      detailed: { "spec.job.parallelism": "UPDATE", labels: "ADD" },
    });
    const renamed = await plugin.diff(APP_URN, app.id, app.properties, {
      ...scaledCheck.inputs,
      name: "orders-v2",
    });
    expect(renamed.replaces).toEqual(["name"]);
    expect(renamed.detailed.name).toBe("UPDATE_REPLACE");

    const updated = await plugin.update(APP_URN, app.id, app.properties, scaledCheck.inputs, 60);
    expect(updated.properties).toMatchObject({ labels: { team: "data" } });
    expect((await direct.applications.get("prod-env", "orders"))?.spec.job?.parallelism).toBe(3);

    // pulumi import: the id only; the inputs that reproduce the object come back.
    const imported = await plugin.read(APP_URN, "prod-env/orders");
    expect(imported.id).toBe("prod-env/orders");
    expect(imported.inputs).toMatchObject({
      environment: "prod-env",
      name: "orders",
      labels: { team: "data" },
    });
    expect((imported.inputs?.spec as Props).image).toBe(spec.image);
    const importedEnv = await plugin.read(ENV_URN, "prod-env");
    expect(importedEnv.inputs).toMatchObject({ name: "prod-env", kubernetesNamespace: "flink-prod" });

    const lookup = await plugin.invoke("cmf:index:getApplication", {
      environment: "prod-env",
      name: "orders",
    });
    expect(lookup.failures).toEqual([]);
    expect(lookup.result).toMatchObject({
      name: "orders",
      environment: "prod-env",
      status: { jobState: "RUNNING" },
    });
    expect(lookup.result.connection).toBeUndefined();
    expect((await plugin.invoke("cmf:index:getEnvironment", {})).failures).toEqual([
      { property: "name", reason: "is required" },
    ]);
    await expect(plugin.invoke("cmf:index:getEnvironment", { name: "nope-env" })).rejects.toThrow(
      /CMF environment "nope-env" does not exist/,
    );

    await plugin.delete(APP_URN, app.id, updated.properties, 60);
    await plugin.delete(ENV_URN, env.id, env.properties);
    expect(await direct.applications.get("prod-env", "orders")).toBeUndefined();
    expect(await direct.environments.get("prod-env")).toBeUndefined();
    const gone = await plugin.read(APP_URN, "prod-env/orders", updated.properties);
    expect(gone.id).toBe("");
  });

  it("imports an object of every kind with its id alone (pulumi import)", async () => {
    await plugin.configure({ url: emulator.url, token: secret(TOKEN) });
    const meta = <K extends string>(kind: K, name: string) => ({
      apiVersion: "cmf.confluent.io/v1" as const,
      kind,
      metadata: { name },
    });
    await direct.environments.upsert({ name: "sql-env", kubernetesNamespace: "flink-sql" });
    await direct.secrets.create({ ...meta("Secret", "kafka-creds"), spec: { data: { password: "p4ss" } } });
    await direct.secretMappings.create("sql-env", {
      ...meta("EnvironmentSecretMapping", "kafka"),
      spec: { secretName: "kafka-creds" },
    });
    await direct.kafkaCatalogs.create({
      ...meta("KafkaCatalog", "kafka-cat"),
      spec: { srInstance: { connectionConfig: { "schema.registry.url": "http://sr:8081" } } },
    });
    await direct.kafkaDatabases.create("kafka-cat", {
      ...meta("KafkaDatabase", "sales-db"),
      spec: { kafkaCluster: { connectionConfig: { "bootstrap.servers": "kafka:9092" } } },
    });
    await direct.computePools.create("sql-env", {
      ...meta("ComputePool", "pool"),
      spec: {
        type: "DEDICATED",
        clusterSpec: {
          image: "confluentinc/cp-flink-sql:1.19-cp1",
          jobManager: { resource: { memory: "1024m" } },
        },
      },
    });
    await direct.statements.create("sql-env", {
      ...meta("Statement", "show-dbs"),
      spec: { statement: "SHOW DATABASES", computePoolName: "pool" },
    });
    const ids: Record<string, [id: string, expected: Props]> = {
      Environment: ["sql-env", { name: "sql-env", kubernetesNamespace: "flink-sql" }],
      Secret: ["kafka-creds", { name: "kafka-creds" }],
      SecretMapping: ["sql-env/kafka", { environment: "sql-env", name: "kafka", secretName: "kafka-creds" }],
      KafkaCatalog: ["kafka-cat", { name: "kafka-cat" }],
      KafkaDatabase: ["kafka-cat/sales-db", { catalog: "kafka-cat", name: "sales-db" }],
      ComputePool: ["sql-env/pool", { environment: "sql-env", name: "pool", spec: { type: "DEDICATED" } }],
      Statement: [
        "sql-env/show-dbs",
        { environment: "sql-env", name: "show-dbs", spec: { statement: "SHOW DATABASES" } },
      ],
    };
    // Every registered kind but the application (imported in the lifecycle test above) is covered here.
    expect(Object.keys(ids).sort()).toEqual(
      Object.keys(KINDS)
        .filter((k) => k !== "Application")
        .sort(),
    );
    for (const [kind, [id, expected]] of Object.entries(ids)) {
      const imported = await plugin.read(`urn:pulumi:dev::flink::cmf:index:${kind}::imported`, id);
      expect({ kind, id: imported.id }).toEqual({ kind, id });
      expect(imported.inputs).toMatchObject(expected);
    }
  });

  it("compiles SQL in its embedded emulator wherever it is installed: the Flink grammar ships with it", async () => {
    // The plugin runs from a folder with no node_modules around it, as after `pulumi plugin install`.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cmf-plugin-sql-"));
    const embedded = await PluginProcess.start({ cwd: dir });
    try {
      await embedded.configure({ emulator: "cmf.json" });
      const urn = (kind: string, name: string) => `urn:pulumi:dev::flink::cmf:index:${kind}::${name}`;
      await embedded.create(urn("Environment", "sql-env"), { name: "sql-env", kubernetesNamespace: "sql" });
      await embedded.create(urn("ComputePool", "pool"), {
        environment: "sql-env",
        name: "pool",
        spec: {
          type: "DEDICATED",
          clusterSpec: {
            image: "confluentinc/cp-flink-sql:1.19-cp1",
            jobManager: { resource: { memory: "1024m" } },
          },
        },
      });
      const ddl = await embedded.create(urn("Statement", "orders"), {
        environment: "sql-env",
        name: "create-orders",
        spec: {
          statement: "CREATE TABLE orders (id INT) WITH ('connector' = 'datagen')",
          computePoolName: "pool",
        },
      });
      expect(ddl.properties).toMatchObject({ phase: "COMPLETED", traits: { sqlKind: "CREATE_TABLE" } });
    } finally {
      await embedded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails check with the field named, and never leaks the token in errors", async () => {
    const bad = await plugin.check(APP_URN, {}, { environment: "prod-env", spec: { ...spec, job: "x" } });
    expect(bad.failures.length).toBeGreaterThan(0);
    expect(bad.failures.map((f) => `${f.property} ${f.reason}`).join("\n")).toMatch(/job/);
    const omitted = await plugin.check(APP_URN, {}, { environment: "prod-env", spec, timeoutSeconds: 5 });
    expect(omitted.failures).toContainEqual({
      property: "timeoutSeconds",
      reason: "is not an input of the cmf plugin; use the customTimeouts resource option",
    });
    await plugin.configure({ url: emulator.url, token: secret("wrong-token-1") });
    const error = await plugin
      .create(ENV_URN, { name: "other-env", kubernetesNamespace: "flink", owner: "flink/dev/other-env" })
      .catch((e: Error) => e);
    expect(String(error)).toMatch(/401/);
    expect(String(error)).not.toMatch(/wrong-token-1/);
  });
});
