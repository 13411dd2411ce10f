import type { CmfEmulator } from "../../provider/emulator";
import { Api, application, apps, environment, RFC3339_MS, startEmulator, UUID, V1 } from "./helpers";

/* Application and detached savepoints: status codes, lifecycle, deletion marks, detach, restore. */

const SP_DIR = "s3://flink/savepoints";
const withDir = (name: string) =>
  application(name, {
    flinkConfiguration: { "taskmanager.numberOfTaskSlots": "2", "state.savepoints.dir": SP_DIR },
  });
const sps = (env: string, app: string) => `${apps(env)}/${app}/savepoints`;
const DETACHED = `${V1}/detached-savepoints`;

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  ({ emu, api } = await startEmulator());
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.controls.reset();
  await api.post(`${V1}/environments`, environment("prod"));
  await api.post(apps("prod"), withDir("orders"));
});

describe("application savepoints", () => {
  test("POST without a body: 201, generated name, defaults, COMPLETED at once (instant) with a Flink path", async () => {
    const res = await api.post(sps("prod", "orders"));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Savepoint",
      metadata: { name: expect.stringMatching(/^orders-savepoint-[0-9a-f]{8}$/) },
      spec: { backoffLimit: -1, formatType: "CANONICAL" },
      status: { state: "COMPLETED", failures: 0, pendingDeletion: false },
    });
    expect(res.json.metadata.uid).toMatch(UUID);
    expect(res.json.metadata.creationTimestamp).toMatch(RFC3339_MS);
    expect(res.json.status.path).toMatch(new RegExp(`^${SP_DIR}/savepoint-[0-9a-f]{6}-[0-9a-f]{12}$`));
    expect(res.json.status.triggerTimestamp).toMatch(RFC3339_MS);
    expect(res.json.status.resultTimestamp).toMatch(RFC3339_MS);
    expect(res.json.status).not.toHaveProperty("error");
    expect(res.json.metadata).not.toHaveProperty("updateTimestamp");

    const got = await api.get(`${sps("prod", "orders")}/${res.json.metadata.name}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
  });

  test("POST with a name, labels and spec.path; list with filter, sort and the page envelope", async () => {
    const a = await api.post(sps("prod", "orders"), {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Savepoint",
      metadata: { name: "before-upgrade", labels: { reason: "upgrade" } },
      spec: { path: "s3://other/dir/", formatType: "NATIVE", backoffLimit: 0 },
    });
    expect(a.status).toBe(201);
    expect(a.json.spec).toEqual({ path: "s3://other/dir/", formatType: "NATIVE", backoffLimit: 0 });
    expect(a.json.status.path).toMatch(/^s3:\/\/other\/dir\/savepoint-/);
    await api.post(sps("prod", "orders"), { metadata: { name: "nightly" } });

    const list = await api.get(`${sps("prod", "orders")}?sort=name,desc`);
    expect(list.status).toBe(200);
    expect(list.json.metadata.size).toBe(2);
    expect(list.json.pageable).toMatchObject({ page: 0, size: 20, sort: { sorted: true } });
    expect(list.json.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      "nightly",
      "before-upgrade",
    ]);
    const filtered = await api.get(`${sps("prod", "orders")}?filter=labels.reason=upgrade`);
    expect(filtered.json.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      "before-upgrade",
    ]);
    const sparse = await api.get(`${sps("prod", "orders")}?fields=metadata.name`);
    expect(sparse.json.items[0]).toEqual({
      apiVersion: "cmf.confluent.io/v1",
      kind: "Savepoint",
      metadata: { name: "before-upgrade" },
    });
    const etag = list.headers.get("etag") as string;
    expect(
      (await api.get(`${sps("prod", "orders")}?sort=name,desc`, { headers: { "if-none-match": etag } }))
        .status,
    ).toBe(304);
  });

  test("400: invalid name, formatType, backoffLimit, apiVersion; 409: duplicate name", async () => {
    const bad = await api.post(sps("prod", "orders"), {
      apiVersion: "v2",
      metadata: { name: "Bad_Name" },
      spec: { formatType: "ZIP", backoffLimit: -2 },
    });
    expect(bad.status).toBe(400);
    const messages = bad.json.errors.map((e: { message: string }) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^apiVersion: /),
        expect.stringMatching(/^metadata\.name: must match/),
        expect.stringMatching(/^spec\.formatType: must be one of: CANONICAL, NATIVE, UNKNOWN/),
        "spec.backoffLimit: must be greater than or equal to -1",
      ]),
    );
    expect((await api.post(sps("prod", "orders"), [])).status).toBe(400);
    expect((await api.post(sps("prod", "orders"), { metadata: { name: "once" } })).status).toBe(201);
    const dup = await api.post(sps("prod", "orders"), { metadata: { name: "once" } });
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0].message).toBe(
      "Savepoint 'once' already exists for FlinkApplication 'orders' in Environment 'prod'",
    );
  });

  test("labels keep a __proto__ key as data (user data is never an object prototype)", async () => {
    const res = await api.request("POST", sps("prod", "orders"), {
      rawBody: '{"metadata":{"name":"proto-sp","labels":{"__proto__":"x","a":"b"}}}',
    });
    expect(res.status).toBe(201);
    expect(res.text).toContain('"labels":{"__proto__":"x","a":"b"}');
    const cluster = await api.request("PUT", `${V1}/kubernetes-clusters/default-k8s-cluster`, {
      rawBody: '{"metadata":{"annotations":{"__proto__":"y"}}}',
    });
    expect(cluster.status).toBe(200);
    expect(cluster.text).toContain('"annotations":{"__proto__":"y"}');
  });

  test("404: unknown environment, application or savepoint, on every route", async () => {
    const cases: [string, string][] = [
      ["GET", sps("nope", "orders")],
      ["POST", sps("nope", "orders")],
      ["GET", sps("prod", "nope")],
      ["POST", sps("prod", "nope")],
      ["GET", `${sps("prod", "orders")}/missing`],
      ["DELETE", `${sps("prod", "orders")}/missing`],
      ["POST", `${sps("prod", "orders")}/missing/detach`],
    ];
    for (const [method, path] of cases) {
      const res = await api.request(method, path);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.json.errors[0].message).toMatch(/not found/);
    }
  });

  test("stepped lifecycle: TRIGGER_PENDING → IN_PROGRESS → COMPLETED, one step per GET", async () => {
    const stepped = await startEmulator({ lifecycle: "stepped" });
    try {
      await stepped.api.post(`${V1}/environments`, environment("prod"));
      await stepped.api.post(apps("prod"), withDir("orders"));
      for (let i = 0; i < 10; i++) {
        const app = await stepped.api.get(`${apps("prod")}/orders`);
        if (app.json.status.jobStatus.state === "RUNNING") break;
      }
      const created = await stepped.api.post(sps("prod", "orders"), { metadata: { name: "step" } });
      expect(created.json.status).toEqual({ state: "TRIGGER_PENDING", failures: 0, pendingDeletion: false });
      const states = [];
      for (let i = 0; i < 3; i++) {
        states.push((await stepped.api.get(`${sps("prod", "orders")}/step`)).json.status.state);
      }
      expect(states).toEqual(["IN_PROGRESS", "COMPLETED", "COMPLETED"]);
    } finally {
      await stepped.emu.close();
    }
  });

  test("manual lifecycle: only clock/advance moves it; the fail control ends it FAILED", async () => {
    const manual = await startEmulator({ lifecycle: "manual" });
    try {
      await manual.api.post(`${V1}/environments`, environment("prod"));
      await manual.api.post(apps("prod"), withDir("orders"));
      await manual.emu.controls.advanceClock({ steps: 10 });
      await manual.api.post(sps("prod", "orders"), { metadata: { name: "sp-one" } });
      await manual.api.post(sps("prod", "orders"), { metadata: { name: "sp-two" } });
      expect((await manual.api.get(`${sps("prod", "orders")}/sp-one`)).json.status.state).toBe(
        "TRIGGER_PENDING",
      );
      await manual.api.post("/_emulator/clock/advance", { steps: 1 });
      expect((await manual.api.get(`${sps("prod", "orders")}/sp-one`)).json.status.state).toBe("IN_PROGRESS");

      const failed = await manual.api.post(
        "/_emulator/environments/prod/applications/orders/savepoints/sp-one/fail",
        {
          message: "disk full",
        },
      );
      expect(failed.status).toBe(200);
      expect(failed.json.status).toMatchObject({ state: "FAILED", error: "disk full", failures: 1 });
      const completed = await manual.api.post(
        "/_emulator/environments/prod/applications/orders/savepoints/sp-two/complete",
      );
      expect(completed.json.status.state).toBe("COMPLETED");
      await manual.emu.controls.advanceClock({ steps: 5 });
      expect((await manual.api.get(`${sps("prod", "orders")}/sp-one`)).json.status.state).toBe("FAILED");
    } finally {
      await manual.emu.close();
    }
  });

  test("timed lifecycle: one step per stepMs of emulator time", async () => {
    const timed = await startEmulator({ lifecycle: { stepMs: 60_000 } });
    try {
      await timed.api.post(`${V1}/environments`, environment("prod"));
      await timed.api.post(apps("prod"), withDir("orders"));
      await timed.emu.controls.advanceClock({ ms: 600_000 });
      await timed.api.post(sps("prod", "orders"), { metadata: { name: "timed" } });
      await timed.emu.controls.advanceClock({ ms: 60_000 });
      expect((await timed.api.get(`${sps("prod", "orders")}/timed`)).json.status.state).toBe("IN_PROGRESS");
      await timed.emu.controls.advanceClock({ ms: 60_000 });
      expect((await timed.api.get(`${sps("prod", "orders")}?size=5`)).json.items[0].status.state).toBe(
        "COMPLETED",
      );
    } finally {
      await timed.emu.close();
    }
  });

  test("FAILED: no savepoint directory configured, or the job is not running", async () => {
    await api.post(apps("prod"), application("nodir"));
    const noDir = await api.post(sps("prod", "nodir"));
    expect(noDir.status).toBe(201);
    expect(noDir.json.status).toMatchObject({ state: "FAILED", failures: 1 });
    expect(noDir.json.status.error).toMatch(/No savepoint directory configured/);
    expect(noDir.json.status).not.toHaveProperty("path");

    /* The environment's defaults count: the directory may come from there. */
    await api.post(
      `${V1}/environments`,
      environment("prod", {
        flinkApplicationDefaults: {
          spec: { flinkConfiguration: { "execution.checkpointing.savepoint-dir": "gs://b" } },
        },
      }),
    );
    await api.post(apps("prod"), application("nodir", { image: "img:2" }));
    expect((await api.post(sps("prod", "nodir"))).json.status.path).toMatch(/^gs:\/\/b\/savepoint-/);

    await api.post(`${apps("prod")}/orders/suspend`);
    const suspended = await api.post(sps("prod", "orders"));
    expect(suspended.json.status.state).toBe("FAILED");
    expect(suspended.json.status.error).toMatch(/is not RUNNING \(state SUSPENDED\)/);
  });

  test("DELETE marks pendingDeletion (204, idempotent); force=true then removes; force first is 400", async () => {
    await api.post(sps("prod", "orders"), { metadata: { name: "old1" } });
    const forcedFirst = await api.delete(`${sps("prod", "orders")}/old1?force=true`);
    expect(forcedFirst.status).toBe(400);
    expect(forcedFirst.json.errors[0].message).toMatch(/not marked for deletion/);

    expect((await api.delete(`${sps("prod", "orders")}/old1`)).status).toBe(204);
    expect((await api.delete(`${sps("prod", "orders")}/old1`)).status).toBe(204);
    const marked = await api.get(`${sps("prod", "orders")}/old1`);
    expect(marked.json.status.pendingDeletion).toBe(true);
    expect((await api.delete(`${sps("prod", "orders")}/old1?force=maybe`)).status).toBe(400);
    expect((await api.delete(`${sps("prod", "orders")}/old1?force=true`)).status).toBe(204);
    expect((await api.get(`${sps("prod", "orders")}/old1`)).status).toBe(404);
  });

  test("savepoints go with their application; detached ones stay", async () => {
    await api.post(sps("prod", "orders"), { metadata: { name: "keep" } });
    await api.post(sps("prod", "orders"), { metadata: { name: "lose" } });
    expect((await api.post(`${sps("prod", "orders")}/keep/detach`)).status).toBe(200);
    expect((await api.delete(`${apps("prod")}/orders`)).status).toBe(204);
    await api.post(apps("prod"), withDir("orders"));
    expect((await api.get(sps("prod", "orders"))).json.items).toEqual([]);
    expect((await api.get(`${DETACHED}/keep`)).status).toBe(200);
  });
});

describe("detach and restore", () => {
  test("detach moves a COMPLETED savepoint to /detached-savepoints (same uid and path)", async () => {
    const sp = (await api.post(sps("prod", "orders"), { metadata: { name: "move-me" } })).json;
    const detached = await api.post(`${sps("prod", "orders")}/move-me/detach`);
    expect(detached.status).toBe(200);
    expect(detached.json).toEqual(sp);
    expect((await api.get(`${sps("prod", "orders")}/move-me`)).status).toBe(404);
    expect((await api.get(`${DETACHED}/move-me`)).json).toEqual(sp);
    expect((await api.get(DETACHED)).json.metadata.size).toBe(1);
  });

  test("detach refuses a savepoint that is not COMPLETED (400) and a taken detached name (409)", async () => {
    await api.post(apps("prod"), application("nodir"));
    await api.post(sps("prod", "nodir"), { metadata: { name: "broken" } });
    const notDone = await api.post(`${sps("prod", "nodir")}/broken/detach`);
    expect(notDone.status).toBe(400);
    expect(notDone.json.errors[0].message).toMatch(/it is FAILED, and only a COMPLETED savepoint/);

    await api.post(DETACHED, { metadata: { name: "taken" }, spec: { path: "s3://x/savepoint-1" } });
    await api.post(sps("prod", "orders"), { metadata: { name: "taken" } });
    expect((await api.post(`${sps("prod", "orders")}/taken/detach`)).status).toBe(409);
  });

  test("start?startFromSavepointUid= restores from a completed own or detached savepoint", async () => {
    const own = (await api.post(sps("prod", "orders"), { metadata: { name: "own-sp" } })).json;
    const before = (await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size;
    const started = await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=${own.metadata.uid}`);
    expect(started.status).toBe(200);
    expect(started.json.spec.job).not.toHaveProperty("initialSavepointPath");
    const instances = (await api.get(`${apps("prod")}/orders/instances?size=100`)).json;
    expect(instances.metadata.size).toBe(before + 1);
    const latest = instances.items[instances.items.length - 1];
    expect(latest.status.spec.job.initialSavepointPath).toBe(own.status.path);

    /* A detached savepoint can start any application. */
    await api.post(apps("prod"), withDir("payments"));
    const det = (await api.post(DETACHED, { spec: { path: "s3://archive/savepoint-abc" } })).json;
    const other = await api.post(`${apps("prod")}/payments/start?startFromSavepointUid=${det.metadata.uid}`);
    expect(other.status).toBe(200);
    const pi = (await api.get(`${apps("prod")}/payments/instances?size=100`)).json.items;
    expect(pi[pi.length - 1].status.spec.job.initialSavepointPath).toBe("s3://archive/savepoint-abc");
  });

  test("start from a savepoint: unknown or another application's uid 404; not completed or marked 400", async () => {
    expect((await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=nope`)).status).toBe(404);
    await api.post(apps("prod"), withDir("payments"));
    const foreign = (await api.post(sps("prod", "payments"))).json;
    const res = await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=${foreign.metadata.uid}`);
    expect(res.status).toBe(404);
    expect(res.json.errors[0].message).toMatch(/^Savepoint with uid '.*' not found/);

    await api.post(`${apps("prod")}/orders/suspend`);
    const failed = (await api.post(sps("prod", "orders"))).json;
    expect(
      (await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=${failed.metadata.uid}`)).status,
    ).toBe(400);
    await api.post(`${apps("prod")}/orders/start`);
    const marked = (await api.post(sps("prod", "orders"), { metadata: { name: "marked" } })).json;
    await api.delete(`${sps("prod", "orders")}/marked`);
    const r = await api.post(`${apps("prod")}/orders/start?startFromSavepointUid=${marked.metadata.uid}`);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/marked for deletion/);
  });
});

describe("detached savepoints", () => {
  test("CRUD: POST 201 (COMPLETED at spec.path), GET, list with deprecated name prefix, DELETE 204, 404", async () => {
    const created = await api.post(DETACHED, {
      apiVersion: "cmf.confluent.io/v1",
      kind: "Savepoint",
      metadata: { name: "archive-1", labels: { team: "a" } },
      spec: { path: "s3://archive/savepoint-1" },
    });
    expect(created.status).toBe(201);
    expect(created.json.status).toMatchObject({ state: "COMPLETED", path: "s3://archive/savepoint-1" });
    await api.post(DETACHED, { spec: { path: "s3://archive/savepoint-2" } });
    const all = (await api.get(DETACHED)).json;
    expect(all.metadata.size).toBe(2);
    expect(all.items[1].metadata.name).toMatch(/^detached-savepoint-[0-9a-f]{8}$/);
    expect((await api.get(`${DETACHED}?name=arch`)).json.metadata.size).toBe(1);
    expect((await api.get(`${DETACHED}?filter=labels.team=a`)).json.metadata.size).toBe(1);
    expect((await api.get(`${DETACHED}/archive-1`)).json).toEqual(created.json);
    expect((await api.delete(`${DETACHED}/archive-1`)).status).toBe(204);
    expect((await api.get(`${DETACHED}/archive-1`)).status).toBe(404);
    expect((await api.delete(`${DETACHED}/archive-1`)).status).toBe(404);
  });

  test("400 without spec.path; 409 on a taken name", async () => {
    const noPath = await api.post(DETACHED);
    expect(noPath.status).toBe(400);
    expect(noPath.json.errors[0].message).toMatch(/^spec\.path: must not be null/);
    await api.post(DETACHED, { metadata: { name: "dup1" }, spec: { path: "/a" } });
    expect((await api.post(DETACHED, { metadata: { name: "dup1" }, spec: { path: "/b" } })).status).toBe(409);
  });

  test("YAML bodies are accepted as posted", async () => {
    const res = await api.request("POST", DETACHED, {
      rawBody:
        "apiVersion: cmf.confluent.io/v1\nkind: Savepoint\nmetadata:\n  name: from-yaml\nspec:\n  path: s3://y/savepoint-9\n",
      contentType: "application/yaml",
    });
    expect(res.status).toBe(201);
    expect(res.json.metadata.name).toBe("from-yaml");
  });
});
