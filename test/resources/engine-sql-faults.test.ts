/**
 * The SQL graph under an unreliable CMF in the real Pulumi engine: 1 environment, 1 SHARED compute
 * pool and 20 statements (DDL and streaming INSERTs) created while about 20% of the requests are
 * answered with 429/503 or dropped without an answer, the pool's wait for RUNNING and the statements'
 * non-idempotent POSTs included. `up` must succeed and leave the state equal to CMF.
 */
import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import { CmfClient } from "../../provider/client";
import { CmfEmulator } from "../../provider/emulator";
import type { Statement } from "../../provider/models";
import { createFixtureProject, type FixtureProject } from "../support/fixture-project";
import { describeWithPulumi, inlineStack, makePulumiSandbox, type PulumiSandbox } from "../support/pulumi";
import { resourcesOfType, type DeploymentState } from "../support/state";

type Sdk = typeof import("../../sdk");

const ENV = "sqlf-env";
const POOL = "sqlf-pool";
const SINKS = 9;
/** 1 source table + 9 sink tables (DDL, COMPLETED) and 10 INSERTs (streaming, RUNNING). */
const DDL_COUNT = 1 + SINKS;
const INSERT_COUNT = 10;
const STATEMENT_COUNT = DDL_COUNT + INSERT_COUNT;

const sinkTable = (i: number) => `sink_${String(i).padStart(2, "0")}`;
const insertName = (i: number) => `insert-${String(i).padStart(2, "0")}`;
const ddlName = (i: number) => (i === 0 ? "create-orders" : `create-${sinkTable(i).replace("_", "-")}`);

/** What the program declares, by statement name: the SQL and the phase it settles in. */
function declared(): Map<string, { sql: string; phase: "COMPLETED" | "RUNNING" }> {
  const out = new Map<string, { sql: string; phase: "COMPLETED" | "RUNNING" }>();
  out.set(ddlName(0), {
    sql: "CREATE TABLE orders (id INT, amount DOUBLE) WITH ('connector' = 'datagen')",
    phase: "COMPLETED",
  });
  for (let i = 1; i <= SINKS; i++) {
    out.set(ddlName(i), {
      sql: `CREATE TABLE ${sinkTable(i)} (id INT, amount DOUBLE) WITH ('connector' = 'blackhole')`,
      phase: "COMPLETED",
    });
  }
  for (let i = 0; i < INSERT_COUNT; i++) {
    out.set(insertName(i), {
      sql: `INSERT INTO ${sinkTable((i % SINKS) + 1)} SELECT id, amount FROM orders`,
      phase: "RUNNING",
    });
  }
  return out;
}

describeWithPulumi("the SQL graph under injected faults", (tools) => {
  jest.setTimeout(5 * 60 * 1000);

  let fixture: FixtureProject;
  let sdk: Sdk;
  let sandbox: PulumiSandbox;
  let emulator: CmfEmulator;
  let direct: CmfClient;

  beforeAll(async () => {
    fixture = createFixtureProject("engine-sql-faults");
    sdk = fixture.load<Sdk>("dist/sdk/index.js");
    sandbox = makePulumiSandbox(tools, "engine-sql-faults");
    // stepped: the pool and every statement need a few GETs to reach their phase, so the waits poll
    // (and meet faults) instead of finding the final phase in the create's own answer.
    emulator = await CmfEmulator.start({ lifecycle: "stepped" });
    direct = new CmfClient({ url: emulator.url });
  }, 120_000);

  afterAll(async () => {
    await direct?.close();
    await emulator?.close();
    fixture?.remove();
    if (sandbox) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  function program() {
    return async () => {
      const env = new sdk.CmfEnvironment("sqlf", { name: ENV, kubernetesNamespace: "flink-sqlf" });
      const pool = new sdk.CmfComputePool("pool", {
        environment: env,
        name: POOL,
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
      const statements = [...declared()];
      const tables = statements
        .filter(([, s]) => s.phase === "COMPLETED")
        .map(
          ([name, s]) =>
            new sdk.CmfStatement(name, { environment: env, computePool: pool, spec: { statement: s.sql } }),
        );
      for (const [name, s] of statements.filter(([, s]) => s.phase === "RUNNING")) {
        new sdk.CmfStatement(
          name,
          { environment: env, computePool: pool, spec: { statement: s.sql, parallelism: 1 } },
          { dependsOn: tables },
        );
      }
    };
  }

  async function serverStatements(): Promise<Map<string, Statement>> {
    const out = new Map<string, Statement>();
    for await (const s of direct.statements.listAll(ENV)) out.set(s.metadata.name, s);
    return out;
  }

  it("up succeeds with ~20% of the requests failing or dropped, and the state equals CMF", async () => {
    const stack: Stack = await inlineStack({
      tools,
      sandbox,
      projectName: "cmf-sql-faults",
      stackName: "faults",
      program: program(),
      workDir: fixture.dir,
      envVars: { PULUMI_CMF_DEBUG: "1" },
    });
    await stack.setConfig("cmf:url", { value: emulator.url });

    // Every /cmf request, whatever its method (the pool's and the statements' GETs while they are
    // waited for, the POSTs that create them), has a 10% chance of a 429/503 and a 10% chance of a
    // dropped connection. The seed fixes the sequence of decisions; the engine's parallelism still
    // decides which request meets which one.
    emulator.controls.setFaults({
      seed: 13,
      errorRate: 0.1,
      statuses: [429, 503],
      retryAfterSeconds: 0,
      dropRate: 0.1,
    });
    let output = "";
    const up = await stack.up({ debug: true, onOutput: (text) => (output += text) });
    const stats = emulator.controls.stats();
    emulator.controls.clearFaults();

    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: STATEMENT_COUNT + 3 });
    // The faults did happen, of every kind: the emulator itself never answers 429 or 503, and every
    // injected fault that is not one of those is a dropped connection.
    const errors = (stats.byStatus["429"] ?? 0) + (stats.byStatus["503"] ?? 0);
    expect(stats.byStatus["429"]).toBeGreaterThan(0);
    expect(stats.byStatus["503"]).toBeGreaterThan(0);
    expect(stats.faultsInjected - errors).toBeGreaterThan(0);
    expect(stats.faultsInjected / stats.total).toBeGreaterThan(0.1);
    // Where they hit, from the provider's own trace (PULUMI_CMF_DEBUG): the pool's wait for RUNNING
    // (GETs, retried by the client) and the statements' creates (POSTs, which the client does not
    // repeat: the controller reads back and creates again).
    const poolCreated = output.search(/\[pulumi-cmf\] POST \S+\/compute-pools -> 2/);
    expect(poolCreated).toBeGreaterThan(-1);
    const failed = (method: string, path: string, from = 0) =>
      [...output.slice(from).matchAll(/\[pulumi-cmf\] (\w+) (\S+) -> (429|503|reset) /g)].filter(
        ([, m, p]) => m === method && p === path,
      ).length;
    expect(
      failed("GET", `/cmf/api/v1/environments/${ENV}/compute-pools/${POOL}`, poolCreated),
    ).toBeGreaterThan(0);
    expect(failed("POST", `/cmf/api/v1/environments/${ENV}/statements`)).toBeGreaterThan(0);

    // State equals CMF: each statement recorded exists with the same id, uid, SQL, pool and phase,
    // and CMF holds nothing that the state does not.
    const state = (await stack.exportStack()).deployment as DeploymentState;
    const held = await serverStatements();
    const want = declared();
    const recorded = resourcesOfType(state, "Statement");
    expect(recorded.map((r) => r.id).sort()).toEqual([...want.keys()].map((n) => `${ENV}/${n}`).sort());
    expect([...held.keys()].sort()).toEqual([...want.keys()].sort());
    for (const r of recorded) {
      const outs = r.outputs as Record<string, unknown> & { spec: Record<string, unknown> };
      const name = outs.name as string;
      const server = held.get(name)!;
      expect({ name, uid: outs.uid, phase: outs.phase, spec: outs.spec }).toEqual({
        name,
        uid: server.metadata.uid,
        phase: server.status?.phase,
        spec: expect.objectContaining({
          statement: server.spec.statement,
          computePoolName: server.spec.computePoolName,
        }),
      });
      expect({ name, phase: server.status?.phase, statement: server.spec.statement }).toEqual({
        name,
        phase: want.get(name)!.phase,
        statement: want.get(name)!.sql,
      });
      expect(server.spec.computePoolName).toBe(POOL);
    }
    const [pool] = resourcesOfType(state, "ComputePool");
    const serverPool = await direct.computePools.get(ENV, POOL);
    expect(pool.outputs?.uid).toBe(serverPool?.metadata.uid);
    expect(pool.outputs?.phase).toBe("RUNNING");
    expect(serverPool?.status?.phase).toBe("RUNNING");
    expect((await direct.computePools.list(ENV)).items?.map((p) => p.metadata.name)).toEqual([POOL]);

    expect((await stack.preview()).changeSummary).toEqual({ same: STATEMENT_COUNT + 3 });

    await stack.destroy();
    expect(await direct.environments.get(ENV)).toBeUndefined();
    await stack.workspace.removeStack("faults");
  });
});
