/**
 * CmfComputePool: check, diff and the wait decisions (pure), and the operations against the emulator
 * (a SHARED pool waited for until RUNNING or SUSPENDED, FAILED reported with the id recorded, CMF's
 * 409 on a delete explained).
 */
import { ResourceInitError } from "../../../provider/core/errors";
import { computePoolController } from "../../../provider/kinds/compute-pool/adapter";
import { assessPool, poolTarget } from "../../../provider/kinds/compute-pool/await";
import { caught, closeHarnesses, harness, type Harness } from "./harness";

afterAll(closeHarnesses);

const clusterSpec = {
  flinkVersion: "v1_19",
  image: "confluentinc/cp-flink-sql:1.19-cp1",
  flinkConfiguration: { "pipeline.operator-chaining.enabled": false },
  jobManager: { resource: { cpu: 0.5, memory: "1024m" } },
  taskManager: { resource: { cpu: 1, memory: "1024m" } },
};

function pool(h?: Harness, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    environment: "prod-env",
    name: "sql-pool",
    spec: { type: "SHARED", clusterSpec, ...spec },
    owner: "proj/dev/sql-pool",
    ...(h ? { connection: h.connection } : {}),
    ...extra,
  };
}

describe("CmfComputePool check, diff and waiting", () => {
  it("names the broken fields and normalises Flink configuration", () => {
    const { inputs, failures } = computePoolController.check(
      pool(undefined, { type: "DEDICATED", state: "SUSPENDED" }),
    );
    expect(failures).toEqual([
      { property: "spec.state", reason: "applies to SHARED pools only (this pool is DEDICATED)" },
    ]);
    expect((inputs.spec as { clusterSpec: typeof clusterSpec }).clusterSpec.flinkConfiguration).toEqual({
      "pipeline.operator-chaining.enabled": "false",
    });
    expect(computePoolController.check(pool(undefined, { type: "BIG" })).failures).toEqual([
      { property: "spec.type", reason: 'must be one of: DEDICATED, SHARED (got "BIG")' },
    ]);
  });

  it("replaces on a new type only; other spec changes are in place", () => {
    const olds = computePoolController.check(pool()).inputs;
    expect(computePoolController.diff(olds, computePoolController.check(pool()).inputs).changes).toBe(false);
    expect(computePoolController.diff(olds, pool(undefined, { type: "DEDICATED" }))).toMatchObject({
      replaces: ["spec"],
      deleteBeforeReplace: true,
    });
    expect(computePoolController.diff(olds, pool(undefined, { state: "SUSPENDED" }))).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("waits for RUNNING, SUSPENDED when asked, and nothing for DEDICATED pools", () => {
    expect(poolTarget({ type: "SHARED" })).toBe("RUNNING");
    expect(poolTarget({ type: "SHARED", state: "SUSPENDED" })).toBe("SUSPENDED");
    expect(poolTarget({ type: "DEDICATED" })).toBe("DEDICATED");
    const seen = (phase: string) => ({
      apiVersion: "v",
      kind: "ComputePool",
      metadata: { name: "p" },
      spec: { type: "SHARED" },
      status: { phase, message: "boom" },
    });
    expect(assessPool(seen("PENDING"), { type: "SHARED" })).toEqual({
      state: "pending",
      detail: "phase PENDING: boom",
    });
    expect(assessPool(seen("RUNNING"), { type: "SHARED" })).toEqual({ state: "ready" });
    expect(assessPool(seen("FAILED"), { type: "SHARED" }).state).toBe("failed");
  });
});

describe("CmfComputePool operations", () => {
  it("creates a SHARED pool and waits for RUNNING, suspends in place, reads drift, and deletes", async () => {
    const h = await harness({ lifecycle: "stepped" });
    await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    const desired = computePoolController.check(pool(h)).inputs;
    const created = await h.runtime.create("ComputePool", desired);
    expect(created.id).toBe("prod-env/sql-pool");
    expect(created.outs).toMatchObject({ phase: "RUNNING", spec: desired.spec });
    // CMF answers with `state: RUNNING` for a SHARED pool that does not set it: no drift from that.
    const read = await h.runtime.read("ComputePool", created.id, created.outs);
    expect((await h.runtime.diff("ComputePool", created.id, read.props, desired)).changes).toBe(false);

    const suspended = computePoolController.check(pool(h, { state: "SUSPENDED" })).inputs;
    const updated = await h.runtime.update("ComputePool", created.id, read.props!, suspended);
    expect(updated.outs).toMatchObject({ phase: "SUSPENDED", spec: { state: "SUSPENDED" } });

    await h.emulator.controls.setComputePoolPhase("prod-env", "sql-pool", "FAILED", "image pull failed");
    const drifted = await h.runtime.read("ComputePool", created.id, updated.outs);
    expect(drifted.props).toMatchObject({ phase: "FAILED", message: "image pull failed" });

    await h.runtime.delete("ComputePool", created.id, drifted.props);
    expect(await h.direct.computePools.get("prod-env", "sql-pool")).toBeUndefined();
  });

  it("fails with the pool's message when it goes FAILED, recording the id", async () => {
    const h = await harness({ lifecycle: "manual" });
    await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    const creating = h.runtime.create("ComputePool", pool(h));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await h.emulator.controls.setComputePoolPhase("prod-env", "sql-pool", "FAILED", "quota exceeded");
    const error = await caught(creating);
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.message).toMatch(
      /compute pool "prod-env\/sql-pool" failed .* RUNNING: phase FAILED: quota exceeded/,
    );
    expect((error as ResourceInitError).id).toBe("prod-env/sql-pool");
  });

  it("explains CMF's 409 when statements still use the pool", async () => {
    const h = await harness();
    await h.direct.environments.upsert({ name: "prod-env", kubernetesNamespace: "flink-prod" });
    const created = await h.runtime.create("ComputePool", pool(h, { type: "DEDICATED" }));
    expect(created.outs).toMatchObject({ phase: "DEDICATED" });
    await h.direct.statements.create("prod-env", {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Statement",
      metadata: { name: "select-one" },
      spec: { statement: "SELECT 1", computePoolName: "sql-pool" },
    });
    const error = await caught(h.runtime.delete("ComputePool", created.id, created.outs));
    expect(error.message).toMatch(/delete CMF compute pool "prod-env\/sql-pool"/);
    expect(error.message).toMatch(/409/);
    expect(error.message).toMatch(/`computePool: <the CmfComputePool>`/);
  });
});
