import type { CmfEmulator } from "../../provider/emulator";
import { Api, environment, startEmulator, UUID, V1 } from "./helpers";
import { computePool, pools } from "./sql-helpers";

let emu: CmfEmulator;
let api: Api;

const put = (path: string, body: unknown) => api.request("PUT", path, { body });
const messages = (res: { json: { errors: { message: string }[] } }) => res.json.errors.map((e) => e.message);

describe("compute pools (instant lifecycle)", () => {
  beforeAll(async () => {
    ({ emu, api } = await startEmulator());
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emu.controls.reset();
    await api.post(`${V1}/environments`, environment("prod"));
  });

  test("a DEDICATED pool reports phase DEDICATED at once; GET, list; 409 on a duplicate", async () => {
    const created = await api.post(pools("prod"), computePool("dedicated-pool"));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      apiVersion: "cmf.confluent.io/v1",
      kind: "ComputePool",
      metadata: { name: "dedicated-pool" },
      spec: computePool("dedicated-pool").spec,
      status: { phase: "DEDICATED" },
    });
    expect(created.json.spec.state).toBeUndefined();
    expect(created.json.metadata.uid).toMatch(UUID);
    expect((await api.get(`${pools("prod")}/dedicated-pool`)).json).toEqual(created.json);
    expect((await api.get(pools("prod"))).json).toMatchObject({
      metadata: { size: 1 },
      items: [created.json],
    });
    const again = await api.post(pools("prod"), computePool("dedicated-pool"));
    expect(again.status).toBe(409);
  });

  test("a SHARED pool is RUNNING (state defaults to RUNNING); spec.state SUSPENDED suspends it", async () => {
    const created = await api.post(pools("prod"), computePool("shared-pool", "SHARED"));
    expect(created.json.status.phase).toBe("RUNNING");
    expect(created.json.spec.state).toBe("RUNNING");
    const suspended = await put(
      `${pools("prod")}/shared-pool`,
      computePool("shared-pool", "SHARED", { state: "SUSPENDED" }),
    );
    expect(suspended.status).toBe(200);
    expect(suspended.json.status.phase).toBe("SUSPENDED");
    const resumed = await put(
      `${pools("prod")}/shared-pool`,
      computePool("shared-pool", "SHARED", { state: "RUNNING" }),
    );
    expect(resumed.json.status.phase).toBe("RUNNING");
  });

  test("clusterSpec rules and state on DEDICATED: 400 with one message per rule", async () => {
    const bad = computePool("bad-pool", "DEDICATED", { state: "SUSPENDED" });
    const cluster = bad.spec.clusterSpec as Record<string, unknown>;
    cluster.serviceAccount = "flink";
    cluster.job = { parallelism: 1 };
    cluster.jobManager = { resource: { cpu: 1 } };
    const res = await api.post(pools("prod"), bad);
    expect(res.status).toBe(400);
    expect(messages(res)).toEqual([
      "spec.clusterSpec.serviceAccount: must not be set (CMF manages the service account of compute pools)",
      "spec.clusterSpec.job: must not be set (CMF submits the statements' jobs)",
      "spec.clusterSpec.jobManager.resource.memory: must not be null (the Flink operator requires it)",
      "spec.state: must not be set on a DEDICATED compute pool (only SHARED pools can be suspended)",
    ]);
    const noType = await api.post(pools("prod"), { ...computePool("x-pool"), spec: { clusterSpec: {} } });
    expect(messages(noType)).toContain("spec.type: must not be null");
  });

  test("type is immutable (400); the path and body names must agree; unknown pool or environment 404", async () => {
    await api.post(pools("prod"), computePool("dedicated-pool"));
    const changed = await put(`${pools("prod")}/dedicated-pool`, computePool("dedicated-pool", "SHARED"));
    expect(changed.status).toBe(400);
    expect(messages(changed)[0]).toMatch(/^spec.type: cannot be changed \(is DEDICATED, got SHARED\)/);
    expect((await put(`${pools("prod")}/dedicated-pool`, computePool("other-pool"))).status).toBe(400);
    expect((await put(`${pools("prod")}/nope-pool`, computePool("nope-pool"))).status).toBe(404);
    expect((await api.get(`${pools("prod")}/nope-pool`)).status).toBe(404);
    expect((await api.delete(`${pools("prod")}/nope-pool`)).status).toBe(404);
    expect((await api.get(pools("nope-env"))).status).toBe(404);
    expect((await api.post(pools("nope-env"), computePool("dedicated-pool"))).status).toBe(404);
  });

  test("list filters by phase; DELETE 204", async () => {
    await api.post(pools("prod"), computePool("dedicated-pool"));
    await api.post(pools("prod"), computePool("shared-pool", "SHARED"));
    const running = await api.get(`${pools("prod")}?filter=phase=RUNNING`);
    expect(running.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      "shared-pool",
    ]);
    const notRunning = await api.get(
      `${pools("prod")}?filter=${encodeURIComponent("phase notin (RUNNING)")}`,
    );
    expect(notRunning.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      "dedicated-pool",
    ]);
    expect((await api.delete(`${pools("prod")}/shared-pool`)).status).toBe(204);
    expect((await api.get(`${pools("prod")}/shared-pool`)).status).toBe(404);
  });

  test("test control: force FAILING with a message, over HTTP and in-process", async () => {
    await api.post(pools("prod"), computePool("shared-pool", "SHARED"));
    const failing = await api.post("/_emulator/environments/prod/compute-pools/shared-pool/phase", {
      phase: "FAILING",
      message: "TaskManager lost",
    });
    expect(failing.status).toBe(200);
    expect((await api.get(`${pools("prod")}/shared-pool`)).json.status).toEqual({
      phase: "FAILING",
      message: "TaskManager lost",
    });
    const failed = await emu.controls.setComputePoolPhase("prod", "shared-pool", "FAILED");
    expect(failed.status?.phase).toBe("FAILED");
    const bad = await api.post("/_emulator/environments/prod/compute-pools/shared-pool/phase", {
      phase: "BROKEN",
    });
    expect(bad.status).toBe(400);
  });

  test("JSON and YAML documents are accepted as posted", async () => {
    const yaml = [
      "apiVersion: cmf.confluent.io/v1",
      "kind: ComputePool",
      "metadata:",
      "  name: yaml-pool",
      "spec:",
      "  type: DEDICATED",
      "  clusterSpec:",
      "    flinkVersion: v1_19",
      "    image: confluentinc/cp-flink-sql:1.19-cp1",
      "    jobManager:",
      "      resource: {cpu: 1.0, memory: 1024m}",
      "    taskManager:",
      "      resource: {cpu: 1.0, memory: 1024m}",
      "",
    ].join("\n");
    const res = await api.request("POST", pools("prod"), { rawBody: yaml, contentType: "application/yaml" });
    expect(res.status).toBe(200);
    expect(res.json.status.phase).toBe("DEDICATED");
  });
});

describe("compute pools (stepped and manual lifecycles)", () => {
  test("stepped: a SHARED pool is PENDING, then RUNNING at the next GET of it", async () => {
    const started = await startEmulator({ lifecycle: "stepped" });
    try {
      await started.api.post(`${V1}/environments`, environment("prod"));
      const created = await started.api.post(pools("prod"), computePool("shared-pool", "SHARED"));
      expect(created.json.status.phase).toBe("PENDING");
      expect((await started.api.get(pools("prod"))).json.items[0].status.phase).toBe("PENDING");
      expect((await started.api.get(`${pools("prod")}/shared-pool`)).json.status.phase).toBe("RUNNING");
    } finally {
      await started.emu.close();
    }
  });

  test("manual: only clock/advance moves the pool", async () => {
    const started = await startEmulator({ lifecycle: "manual" });
    try {
      await started.api.post(`${V1}/environments`, environment("prod"));
      await started.api.post(pools("prod"), computePool("shared-pool", "SHARED"));
      expect((await started.api.get(`${pools("prod")}/shared-pool`)).json.status.phase).toBe("PENDING");
      await started.emu.controls.advanceClock({ steps: 1 });
      expect((await started.api.get(`${pools("prod")}/shared-pool`)).json.status.phase).toBe("RUNNING");
    } finally {
      await started.emu.close();
    }
  });

  test("timed: RUNNING once the clock moved one step", async () => {
    const started = await startEmulator({ lifecycle: { stepMs: 60_000 } });
    try {
      await started.api.post(`${V1}/environments`, environment("prod"));
      await started.api.post(pools("prod"), computePool("shared-pool", "SHARED"));
      expect((await started.api.get(`${pools("prod")}/shared-pool`)).json.status.phase).toBe("PENDING");
      await started.emu.controls.advanceClock({ ms: 60_000 });
      expect((await started.api.get(`${pools("prod")}/shared-pool`)).json.status.phase).toBe("RUNNING");
    } finally {
      await started.emu.close();
    }
  });
});
