/**
 * The CMF SQL kinds (CmfSecret, CmfSecretMapping, CmfKafkaCatalog, CmfKafkaDatabase, CmfComputePool)
 * through the real Pulumi CLI (Automation API, inline program), installed from the npm-pack tarball,
 * against an in-process emulator: create, a clean preview, in-place updates, a replacement, refresh
 * of out-of-band drift, secrets never in plain text, and a destroy that leaves CMF empty.
 */
import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import { OWNER_ANNOTATION } from "../../provider/core/ownership";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import {
  filesContaining,
  isSecretValue,
  plainPaths,
  resourcesOfType,
  type DeploymentState,
} from "../support/state";

type Sdk = typeof import("../../sdk");

const TOKEN = "engine-sql-token-8d2f";
const FIRST_VALUE = "user=alice password=first-Secret-Value-4a1";
const SECOND_VALUE = "user=alice password=second-Secret-Value-9c7";

interface Desired {
  secretValue: string;
  ddlEnvironments?: string[];
  poolType: "SHARED" | "DEDICATED";
  poolState?: "SUSPENDED";
}

describeWithPulumi("CMF SQL kinds in the Pulumi engine", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let emulator: CmfEmulator;
  let direct: CmfClient;
  let sandbox: PulumiSandbox;
  let sdk: Sdk;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-sql");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    emulator = await CmfEmulator.start({ token: TOKEN, lifecycle: "stepped" });
    direct = new CmfClient({ url: emulator.url, token: TOKEN });
    sandbox = makePulumiSandbox(tools, "engine-sql");
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  function program(desired: Desired) {
    return async () => {
      const env = new sdk.CmfEnvironment("prod", { name: "prod-env", kubernetesNamespace: "flink-prod" });
      // Not wrapped in pulumi.secret on purpose: the SDK makes `data` secret by itself.
      const creds = new sdk.CmfSecret("kafka-creds", { data: { "sasl.jaas.config": desired.secretValue } });
      const mapping = new sdk.CmfSecretMapping("kafka-conn", { environment: env, secret: creds });
      const catalog = new sdk.CmfKafkaCatalog("kafka-cat", {
        spec: {
          srInstance: {
            connectionConfig: { "schema.registry.url": "http://sr:8081" },
            connectionSecretId: mapping.name,
          },
        },
      });
      const database = new sdk.CmfKafkaDatabase("orders-db", {
        catalog,
        spec: {
          kafkaCluster: {
            connectionConfig: { "bootstrap.servers": "kafka:9092" },
            connectionSecretId: mapping.name,
          },
          ...(desired.ddlEnvironments ? { ddlEnvironments: desired.ddlEnvironments } : {}),
        },
      });
      const pool = new sdk.CmfComputePool("sql-pool", {
        environment: env,
        spec: {
          type: desired.poolType,
          ...(desired.poolState ? { state: desired.poolState } : {}),
          clusterSpec: {
            flinkVersion: "v1_19",
            image: "confluentinc/cp-flink-sql:1.19-cp1",
            flinkConfiguration: { "pipeline.operator-chaining.enabled": false },
            jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
            taskManager: { resource: { cpu: 1, memory: "1024m" } },
          },
        },
      });
      return {
        secretVersion: creds.version,
        secretData: creds.data,
        databaseAccess: database.environmentsWithAccess,
        poolPhase: pool.phase,
      };
    };
  }

  async function left(): Promise<string[]> {
    const names: string[] = [];
    for await (const s of direct.secrets.listAll()) names.push(`secret:${s.metadata.name}`);
    for await (const c of direct.kafkaCatalogs.listAll()) names.push(`catalog:${c.metadata.name}`);
    for await (const e of direct.environments.listAll()) names.push(`environment:${e.name}`);
    return names;
  }

  it("creates, previews clean, updates in place, replaces, refreshes drift, keeps secrets secret, destroys", async () => {
    const desired: Desired = { secretValue: FIRST_VALUE, poolType: "SHARED" };
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-sql",
      stackName: "dev",
      program: program(desired),
      workDir: fixture.dir,
      envVars: { PULUMI_CMF_DEBUG: "1" },
    });
    await stack.setAllConfig({
      "cmf:url": { value: emulator.url },
      "cmf:token": { value: TOKEN, secret: true },
    });
    let output = "";
    const collect = { onOutput: (text: string) => (output += text) };

    // up: everything created, the SHARED pool waited for until RUNNING
    const up = await stack.up({ ...collect, debug: true });
    expect(up.summary.resourceChanges).toEqual({ create: 7 });
    expect(up.outputs.poolPhase.value).toBe("RUNNING");
    expect(up.outputs.secretVersion.value).toBe("1");
    expect(up.outputs.secretData.secret).toBe(true);
    expect(up.outputs.databaseAccess.value).toEqual(["prod-env"]);
    expect((await direct.environments.get("prod-env"))?.secrets).toEqual({ "kafka-conn": "kafka-creds" });
    expect((await direct.secrets.get("kafka-creds"))?.metadata.annotations).toEqual({
      [OWNER_ANNOTATION]: "cmf-sql/dev/kafka-creds",
    });

    // a second preview is clean
    expect((await stack.preview()).changeSummary).toEqual({ same: 7 });

    // in place: a new secret value, DDL environments, a suspended pool
    desired.secretValue = SECOND_VALUE;
    desired.ddlEnvironments = ["prod-env"];
    desired.poolState = "SUSPENDED";
    const updated = await stack.up({ ...collect, debug: true });
    expect(updated.summary.resourceChanges).toEqual({ same: 4, update: 3 });
    expect(updated.outputs.poolPhase.value).toBe("SUSPENDED");
    expect(updated.outputs.secretVersion.value).toBe("2");
    expect((await direct.kafkaDatabases.get("kafka-cat", "orders-db"))?.spec.ddlEnvironments).toEqual([
      "prod-env",
    ]);

    // a new pool type replaces the pool (deleted first: the name stays)
    desired.poolType = "DEDICATED";
    desired.poolState = undefined;
    const replaced = await stack.up(collect);
    expect(replaced.summary.resourceChanges).toEqual({ same: 6, replace: 1 });
    expect(replaced.outputs.poolPhase.value).toBe("DEDICATED");
    expect((await direct.computePools.get("prod-env", "sql-pool"))?.spec.type).toBe("DEDICATED");

    // out-of-band: the secret rotated by hand (seen from its version), the catalog edited
    await direct.secrets.update("kafka-creds", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Secret",
      metadata: { name: "kafka-creds", annotations: { [OWNER_ANNOTATION]: "cmf-sql/dev/kafka-creds" } },
      spec: { data: { "sasl.jaas.config": "rotated by hand" } },
    });
    const cat = await direct.kafkaCatalogs.get("kafka-cat");
    await direct.kafkaCatalogs.update("kafka-cat", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "KafkaCatalog",
      metadata: { name: "kafka-cat", annotations: { [OWNER_ANNOTATION]: "cmf-sql/dev/kafka-cat" } },
      spec: {
        srInstance: {
          ...cat!.spec.srInstance,
          connectionConfig: { "schema.registry.url": "http://other:1" },
        },
      },
    });
    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 5, update: 2 });
    expect((await stack.preview()).changeSummary).toEqual({ same: 5, update: 2 });
    const restored = await stack.up(collect);
    expect(restored.summary.resourceChanges).toEqual({ same: 5, update: 2 });
    expect(restored.outputs.secretVersion.value).toBe("4");
    expect((await direct.kafkaCatalogs.get("kafka-cat"))?.spec.srInstance.connectionConfig).toEqual({
      "schema.registry.url": "http://sr:8081",
    });
    expect((await stack.preview()).changeSummary).toEqual({ same: 7 });

    // the secret's values are only ever stored encrypted, and never printed (debug output included)
    const exported = (await stack.exportStack()).deployment as DeploymentState;
    for (const value of [FIRST_VALUE, SECOND_VALUE]) {
      expect(plainPaths(exported, value)).toEqual([]);
      expect(filesContaining(sandbox.env.PULUMI_BACKEND_URL.replace("file://", ""), value)).toEqual([]);
      expect(output).not.toContain(value);
    }
    const [secretState] = resourcesOfType(exported, "Secret");
    expect(isSecretValue(secretState.outputs?.data)).toBe(true);
    expect(isSecretValue(secretState.inputs?.data)).toBe(true);
    // The debug trace was on (so the check above covers it).
    expect(output).toMatch(/\[pulumi-cmf\] PUT \/cmf\/api\/v1\/secrets\/kafka-creds -> 200/);

    // destroy leaves the emulator empty
    await stack.destroy();
    expect(await left()).toEqual([]);
    await stack.workspace.removeStack("dev");
  });

  it("statements: create (DDL and streaming), clean preview, stop by a flag, replace on new SQL, refresh an out-of-band rescale, destroy", async () => {
    const desired = { paused: false, select: "SELECT * FROM orders" };
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-sql-statements",
      stackName: "dev",
      workDir: fixture.dir,
      program: async () => {
        const env = new sdk.CmfEnvironment("sql", { name: "sql-env", kubernetesNamespace: "flink-sql" });
        const pool = new sdk.CmfComputePool("pool", {
          environment: env,
          spec: {
            type: "SHARED",
            clusterSpec: {
              flinkVersion: "v1_19",
              image: "confluentinc/cp-flink-sql:1.19-cp1",
              jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
              taskManager: { resource: { cpu: 1, memory: "1024m" } },
            },
          },
        });
        const orders = new sdk.CmfStatement("create-orders", {
          environment: env,
          computePool: pool,
          spec: { statement: "CREATE TABLE orders (id INT, amount DOUBLE) WITH ('connector' = 'datagen');" },
          onDestroy: "DROP TABLE orders",
        });
        const sink = new sdk.CmfStatement("create-sink", {
          environment: env,
          computePool: pool,
          spec: { statement: "CREATE TABLE sink (id INT, amount DOUBLE) WITH ('connector' = 'blackhole')" },
          onDestroy: "DROP TABLE sink",
        });
        const insert = new sdk.CmfStatement(
          "insert-orders",
          {
            environment: env,
            computePool: pool,
            spec: {
              statement: `INSERT INTO sink ${desired.select}`,
              stopped: desired.paused,
              parallelism: 1,
            },
          },
          { dependsOn: [orders, sink] },
        );
        return { ddlPhase: orders.phase, ddlKind: orders.traits, insertPhase: insert.phase };
      },
    });
    await stack.setAllConfig({
      "cmf:url": { value: emulator.url },
      "cmf:token": { value: TOKEN, secret: true },
    });

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    expect(up.outputs.ddlPhase.value).toBe("COMPLETED");
    expect(up.outputs.ddlKind.value).toMatchObject({ sqlKind: "CREATE_TABLE" });
    expect(up.outputs.insertPhase.value).toBe("RUNNING");
    expect((await stack.preview()).changeSummary).toEqual({ same: 6 });

    desired.paused = true;
    const paused = await stack.up();
    expect(paused.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(paused.outputs.insertPhase.value).toBe("STOPPED");

    desired.paused = false;
    desired.select = "SELECT id, amount FROM orders";
    const replaced = await stack.up();
    expect(replaced.summary.resourceChanges).toEqual({ same: 5, replace: 1 });
    expect(replaced.outputs.insertPhase.value).toBe("RUNNING");
    expect((await direct.statements.get("sql-env", "insert-orders"))?.spec.statement).toBe(
      "INSERT INTO sink SELECT id, amount FROM orders",
    );

    await direct.statements.rescale("sql-env", "insert-orders", 3);
    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    const restored = await stack.up();
    expect(restored.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect((await direct.statements.get("sql-env", "insert-orders"))?.spec.parallelism).toBe(1);
    expect((await stack.preview()).changeSummary).toEqual({ same: 6 });

    await stack.destroy();
    // The environment is gone, and CMF refuses that while it has pools or statements.
    expect(await left()).toEqual([]);
    await stack.workspace.removeStack("dev");
  });
});
