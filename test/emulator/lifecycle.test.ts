import type { CmfEmulator, CmfEmulatorOptions } from "../../provider/emulator";
import { Api, application, apps, environment, events, startEmulator, V1 } from "./helpers";

interface Status {
  lifecycleState: string;
  jobState: string;
  jm: string;
}

async function statusOf(api: Api, path = `${apps("prod")}/orders`): Promise<Status> {
  const res = await api.get(path);
  const s = res.json.status;
  return { lifecycleState: s.lifecycleState, jobState: s.jobStatus?.state, jm: s.jobManagerDeploymentStatus };
}

const FINAL: Status = { lifecycleState: "STABLE", jobState: "RUNNING", jm: "READY" };

async function withEmulator(
  options: CmfEmulatorOptions,
  body: (emu: CmfEmulator, api: Api) => Promise<void>,
) {
  const { emu, api } = await startEmulator(options);
  try {
    await api.post(`${V1}/environments`, environment("prod"));
    await body(emu, api);
  } finally {
    await emu.close();
  }
}

describe("instant lifecycle", () => {
  let emu: CmfEmulator;
  let api: Api;
  beforeAll(async () => {
    ({ emu, api } = await startEmulator({ lifecycle: "instant" }));
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emu.controls.reset();
    await api.post(`${V1}/environments`, environment("prod"));
  });

  test("an upsert with job.state=running answers RUNNING / STABLE / READY", async () => {
    const res = await api.post(apps("prod"), application("orders"));
    expect(res.json.status).toMatchObject({
      lifecycleState: "STABLE",
      jobManagerDeploymentStatus: "READY",
      jobStatus: { state: "RUNNING", jobName: "orders" },
      observedGeneration: 1,
    });
    expect(res.json.status.jobStatus.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.json.status).not.toHaveProperty("error");
  });

  test("instance status.spec = environment defaults deep-merged, environment wins on flinkConfiguration", async () => {
    await api.post(
      `${V1}/environments`,
      environment("prod", {
        flinkApplicationDefaults: {
          spec: {
            flinkConfiguration: { shared: "from-env", "env.only": "e" },
            jobManager: { resource: { memory: "2048m" }, replicas: 2 },
            image: "default-image",
          },
        },
      }),
    );
    await api.post(
      apps("prod"),
      application("orders", {
        flinkConfiguration: { shared: "from-app", "app.only": "a" },
        jobManager: { resource: { memory: "1024m", cpu: 1 } },
        image: "app-image",
        job: { jarURI: "local:///a.jar", parallelism: 1 },
      }),
    );
    const instances = await api.get(`${apps("prod")}/orders/instances`);
    const instance = instances.json.items[0];
    const spec = instance.status.spec;
    expect(spec.flinkConfiguration).toEqual({ shared: "from-env", "env.only": "e", "app.only": "a" });
    expect(spec.jobManager).toEqual({ resource: { memory: "1024m", cpu: 1 }, replicas: 2 });
    expect(spec.image).toBe("app-image");
    expect(spec.job).toEqual({ jarURI: "local:///a.jar", parallelism: 1, args: [] });
    expect(spec.podTemplate.metadata.annotations["platform.confluent.io/cmf-fa-instance"]).toBe(
      instance.metadata.name,
    );
    expect(instance.status.jobStatus).toMatchObject({ state: "RUNNING" });
  });

  test("a same-spec re-POST creates no instance, no event and keeps updateTimestamp", async () => {
    const first = await api.post(apps("prod"), application("orders"));
    const eventsBefore = (await api.get(events("prod", "orders"))).json.metadata.size;
    await emu.controls.advanceClock({ ms: 2000, steps: 0 });
    const again = await api.post(apps("prod"), application("orders"));
    expect(again.json.metadata.updateTimestamp).toBe(first.json.metadata.updateTimestamp);
    expect((await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size).toBe(1);
    expect((await api.get(events("prod", "orders"))).json.metadata.size).toBe(eventsBefore);
  });

  test("a labels-only change updates the object without a rollout", async () => {
    await api.post(apps("prod"), application("orders"));
    const res = await api.post(apps("prod"), application("orders", {}, { labels: { tier: "gold" } }));
    expect(res.json.metadata.labels).toEqual({ tier: "gold" });
    expect(res.json.status.observedGeneration).toBe(1);
    expect((await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size).toBe(1);
  });

  test("every spec change rolls out a new instance and moves currentDeployedInstanceName", async () => {
    const names = new Set<string>();
    for (const image of ["img:1", "img:2", "img:3"]) {
      const res = await api.post(apps("prod"), application("orders", { image }));
      names.add(res.json.status.currentDeployedInstanceName);
    }
    expect(names.size).toBe(3);
    const list = await api.get(`${apps("prod")}/orders/instances`);
    expect(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([...names]);
  });

  test("changing environment defaults does not redeploy; the next spec change picks them up", async () => {
    await api.post(apps("prod"), application("orders"));
    await api.post(
      `${V1}/environments`,
      environment("prod", { flinkApplicationDefaults: { spec: { serviceAccount: "svc" } } }),
    );
    expect((await api.get(`${apps("prod")}/orders/instances`)).json.metadata.size).toBe(1);
    await api.post(apps("prod"), application("orders", { serviceAccount: undefined, image: "img:2" }));
    const list = await api.get(`${apps("prod")}/orders/instances`);
    expect(list.json.items[1].status.spec.serviceAccount).toBe("svc");
  });

  test("suspending via spec: SUSPENDED, job SUSPENDED (stateless) or FINISHED (savepoint), JM MISSING", async () => {
    await api.post(apps("prod"), application("orders"));
    const stateless = await api.post(
      apps("prod"),
      application("orders", {
        job: { jarURI: "local:///a.jar", state: "suspended", upgradeMode: "stateless", parallelism: 1 },
      }),
    );
    expect(stateless.json.status).toMatchObject({
      lifecycleState: "SUSPENDED",
      jobManagerDeploymentStatus: "MISSING",
      jobStatus: { state: "SUSPENDED" },
    });
    await api.post(
      apps("prod"),
      application("other", { job: { jarURI: "local:///a.jar", upgradeMode: "savepoint", parallelism: 1 } }),
    );
    const savepoint = await api.post(`${apps("prod")}/other/suspend`);
    expect(savepoint.json.status).toMatchObject({
      lifecycleState: "SUSPENDED",
      jobStatus: { state: "FINISHED" },
    });
  });

  test("an application created suspended is SUSPENDED at once", async () => {
    const res = await api.post(
      apps("prod"),
      application("orders", { job: { jarURI: "local:///a.jar", state: "suspended", parallelism: 1 } }),
    );
    expect(res.json.status).toMatchObject({
      lifecycleState: "SUSPENDED",
      jobManagerDeploymentStatus: "MISSING",
    });
  });

  test("forced failure: FAILED, status.error, a JOB_STATUS event with the exception; start redeploys", async () => {
    await api.post(apps("prod"), application("orders"));
    const failed = await emu.controls.failApplication(
      "prod",
      "orders",
      "java.lang.OutOfMemoryError: Java heap space",
    );
    expect(failed.status).toMatchObject({
      lifecycleState: "FAILED",
      error: "java.lang.OutOfMemoryError: Java heap space",
      jobStatus: { state: "FAILED" },
    });
    const got = await api.get(`${apps("prod")}/orders`);
    expect(got.json.status.lifecycleState).toBe("FAILED");
    const jobEvents = await api.get(`${events("prod", "orders")}?filter=type=JOB_STATUS`);
    const last = jobEvents.json.items[jobEvents.json.items.length - 1];
    expect(last.status.data).toEqual({ exceptionString: "java.lang.OutOfMemoryError: Java heap space" });

    const instanceBefore = got.json.status.currentDeployedInstanceName;
    const started = await api.post(`${apps("prod")}/orders/start`);
    expect(started.json.status).toMatchObject({ lifecycleState: "STABLE", jobStatus: { state: "RUNNING" } });
    expect(started.json.status).not.toHaveProperty("error");
    expect(started.json.status.currentDeployedInstanceName).not.toBe(instanceBefore);
  });

  test("events are capped at 100 (oldest dropped) and instances at 100", async () => {
    for (let i = 0; i < 105; i++) {
      await api.post(apps("prod"), application("orders", { image: `img:${i}` }));
    }
    const ev = await api.get(`${events("prod", "orders")}?size=2000`);
    expect(ev.json.metadata.size).toBe(100);
    expect(
      ev.json.items.some((e: { status: { message: string } }) => e.status.message.includes("created")),
    ).toBe(false);
    const inst = await api.get(`${apps("prod")}/orders/instances?size=2000`);
    expect(inst.json.metadata.size).toBe(100);
    const latest = (await api.get(`${apps("prod")}/orders`)).json.status.currentDeployedInstanceName;
    expect(inst.json.items[99].metadata.name).toBe(latest);
    expect(inst.json.items[99].status.spec.image).toBe("img:104");
  });
});

describe("stepped lifecycle: one phase per GET of the application", () => {
  test("RECONCILING → RUNNING, DEPLOYING → READY, DEPLOYED → STABLE", () =>
    withEmulator({ lifecycle: "stepped" }, async (_emu, api) => {
      const created = await api.post(apps("prod"), application("orders"));
      expect(created.json.status.lifecycleState).toBe("DEPLOYED");
      expect(created.json.status.jobStatus.state).toBe("RECONCILING");
      expect(created.json.status.jobManagerDeploymentStatus).toBe("DEPLOYING");
      await api.get(apps("prod"));
      await api.get(events("prod", "orders"));
      const seen = [await statusOf(api), await statusOf(api), await statusOf(api), await statusOf(api)];
      expect(seen).toEqual([
        { lifecycleState: "DEPLOYED", jobState: "RECONCILING", jm: "DEPLOYED_NOT_READY" },
        { lifecycleState: "DEPLOYED", jobState: "RUNNING", jm: "READY" },
        FINAL,
        FINAL,
      ]);
    }));

  test("an update of a running application goes through UPGRADING", () =>
    withEmulator({ lifecycle: "stepped" }, async (_emu, api) => {
      await api.post(apps("prod"), application("orders"));
      for (let i = 0; i < 3; i++) await api.get(`${apps("prod")}/orders`);
      const updated = await api.post(apps("prod"), application("orders", { image: "img:2" }));
      expect(updated.json.status.lifecycleState).toBe("UPGRADING");
      const states: string[] = [];
      for (let i = 0; i < 5; i++) states.push((await statusOf(api)).lifecycleState);
      expect(states).toEqual(["DEPLOYED", "DEPLOYED", "DEPLOYED", "STABLE", "STABLE"]);
    }));

  test("suspend takes two polls: UPGRADING, then SUSPENDED", () =>
    withEmulator({ lifecycle: "stepped" }, async (_emu, api) => {
      await api.post(apps("prod"), application("orders"));
      for (let i = 0; i < 3; i++) await api.get(`${apps("prod")}/orders`);
      const res = await api.post(`${apps("prod")}/orders/suspend`);
      expect(res.json.status.lifecycleState).toBe("UPGRADING");
      expect(await statusOf(api)).toEqual({
        lifecycleState: "SUSPENDED",
        jobState: "SUSPENDED",
        jm: "MISSING",
      });
    }));
});

describe("manual lifecycle: only clock/advance moves rollouts", () => {
  test("GETs do not move it; steps do, over HTTP and in-process", () =>
    withEmulator({ lifecycle: "manual" }, async (emu, api) => {
      await api.post(apps("prod"), application("orders"));
      for (let i = 0; i < 5; i++) await api.get(`${apps("prod")}/orders`);
      expect((await statusOf(api)).jm).toBe("DEPLOYING");

      const advanced = await api.post("/_emulator/clock/advance", { steps: 1 });
      expect(advanced.status).toBe(204);
      expect((await statusOf(api)).jm).toBe("DEPLOYED_NOT_READY");

      await emu.controls.advanceClock();
      expect(await statusOf(api)).toEqual({ lifecycleState: "DEPLOYED", jobState: "RUNNING", jm: "READY" });
      await emu.controls.advanceClock({ steps: 10 });
      expect(await statusOf(api)).toEqual(FINAL);
    }));

  test("an empty clock/advance body means one step", () =>
    withEmulator({ lifecycle: "manual" }, async (_emu, api) => {
      await api.post(apps("prod"), application("orders"));
      const res = await api.request("POST", "/_emulator/clock/advance");
      expect(res.status).toBe(204);
      expect((await statusOf(api)).jm).toBe("DEPLOYED_NOT_READY");
    }));
});

describe("time-based lifecycle ({ stepMs })", () => {
  test("phases come due with the emulator clock and are stamped when they became due", () =>
    withEmulator({ lifecycle: { stepMs: 60_000 } }, async (emu, api) => {
      const created = await api.post(apps("prod"), application("orders"));
      const t0 = Date.parse(created.json.metadata.creationTimestamp);
      expect((await statusOf(api)).jm).toBe("DEPLOYING");
      await emu.controls.advanceClock({ ms: 60_000 });
      expect((await statusOf(api)).jm).toBe("DEPLOYED_NOT_READY");
      await emu.controls.advanceClock({ ms: 10 * 60_000 });
      expect(await statusOf(api)).toEqual(FINAL);

      const ev = await api.get(`${events("prod", "orders")}?filter=type=CMF_STATUS`);
      const stable = ev.json.items.find(
        (e: { status: { data?: { newStatus?: string } } }) => e.status.data?.newStatus === "STABLE",
      );
      expect(Date.parse(stable.metadata.creationTimestamp) - t0).toBe(3 * 60_000);
    }));
});

describe("controls over HTTP", () => {
  test("fail control: 200 with the application, 404 for unknown ones, 400 for a bad body", () =>
    withEmulator({}, async (_emu, api) => {
      await api.post(apps("prod"), application("orders"));
      const res = await api.post("/_emulator/environments/prod/applications/orders/fail", {
        message: "boom",
      });
      expect(res.status).toBe(200);
      expect(res.json.status).toMatchObject({
        lifecycleState: "FAILED",
        error: "boom",
        jobStatus: { state: "FAILED" },
      });
      const defaulted = await api.request("POST", "/_emulator/environments/prod/applications/orders/fail");
      expect(defaulted.json.status.error).toMatch(/NoRestartBackoffTimeStrategy/);
      const missing = await api.post("/_emulator/environments/prod/applications/ghost/fail", {});
      expect(missing.status).toBe(404);
      const bad = await api.post("/_emulator/environments/prod/applications/orders/fail", { mesage: "typo" });
      expect(bad.status).toBe(400);
      expect(bad.json.errors[0].message).toBe("unknown field(s): mesage");
    }));

  test("clock/advance refuses bad values", () =>
    withEmulator({}, async (_emu, api) => {
      const res = await api.post("/_emulator/clock/advance", { ms: -5, steps: "x" });
      expect(res.status).toBe(400);
      expect(res.json.errors.map((e: { message: string }) => e.message)).toEqual([
        "ms: must be greater than or equal to 0",
        "steps: must be a number (got string)",
      ]);
    }));

  test("reset empties everything and resets the counters", () =>
    withEmulator({}, async (emu, api) => {
      await api.post(apps("prod"), application("orders"));
      expect(emu.controls.stats().writes).toBe(2);
      expect((await api.post("/_emulator/reset")).status).toBe(204);
      expect((await api.get(`${V1}/environments`)).json.metadata.size).toBe(0);
      expect(emu.controls.stats()).toMatchObject({ writes: 0, requests: { GET: 1 }, total: 1 });
    }));

  test("stats count /cmf requests by method and route, and successful writes only", () =>
    withEmulator({}, async (emu, api) => {
      await emu.controls.reset();
      await api.post(`${V1}/environments`, environment("prod"));
      await api.post(`${V1}/environments`, environment("x"));
      await api.get(`${V1}/environments/prod`);
      await api.get(`${V1}/environments/prod`);
      await api.delete(`${V1}/environments/ghost`);
      await api.get("/_emulator/stats");
      const stats = (await api.get("/_emulator/stats")).json;
      expect(stats.requests).toEqual({ POST: 2, GET: 2, DELETE: 1 });
      expect(stats.writes).toBe(1);
      expect(stats.byRoute).toEqual({
        "POST /cmf/api/v1/environments": 2,
        "GET /cmf/api/v1/environments/{envName}": 2,
        "DELETE /cmf/api/v1/environments/{envName}": 1,
      });
      expect(stats.byStatus).toEqual({ "200": 3, "400": 1, "404": 1 });
    }));
});
